package org.chartproof.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionTest {

  private static final Code HIV = Code.of(Code.ACT_CODE, "HIV");
  private static final Code PSY = Code.of(Code.ACT_CODE, "PSY");

  private static Decision permit(Set<Code> redact) {
    return new Decision(
        Verdict.PERMIT,
        new Reason(ReasonKind.PROVISION, "Consent/c/_history/1", "provision"),
        redact,
        false,
        "sha256:00");
  }

  private static Code confidentiality(String level) {
    return Code.of(Code.CONFIDENTIALITY, level);
  }

  @Test
  void redacts_contentCarryingANamedLabel() {
    assertThat(permit(Set.of(HIV)).redacts(Set.of(HIV))).isTrue();
    assertThat(permit(Set.of(HIV)).redacts(Set.of(PSY, HIV))).isTrue();
  }

  @Test
  void redacts_notContentWithOtherOrNoLabels() {
    assertThat(permit(Set.of(HIV)).redacts(Set.of(PSY))).isFalse();
    assertThat(permit(Set.of(HIV)).redacts(Set.of())).isFalse();
    assertThat(permit(Set.of()).redacts(Set.of(HIV))).isFalse();
  }

  @Test
  void redacts_confidentialityAtTheNamedLevelAndAbove() {
    Decision redactR = permit(Set.of(confidentiality("R")));
    assertThat(redactR.redacts(Set.of(confidentiality("R")))).isTrue();
    assertThat(redactR.redacts(Set.of(confidentiality("V")))).isTrue();
    assertThat(redactR.redacts(Set.of(confidentiality("N")))).isFalse();
  }
}
