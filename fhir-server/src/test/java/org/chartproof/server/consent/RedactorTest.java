package org.chartproof.server.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.parser.IParser;
import java.util.Set;
import org.chartproof.consent.Code;
import org.chartproof.consent.Decision;
import org.chartproof.consent.Reason;
import org.chartproof.consent.ReasonKind;
import org.chartproof.consent.Verdict;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final IParser JSON = FHIR.newJsonParser();
  private static final Code HIV = Code.of(Code.ACT_CODE, "HIV");
  private static final String LABEL_HIV =
      "{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"HIV\"}";
  private static final String LABEL_PSY =
      "{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"PSY\"}";

  private static Decision permitRedacting(Set<Code> labels) {
    return new Decision(
        Verdict.PERMIT,
        new Reason(ReasonKind.PROVISION, "Consent/c/_history/1", "provision"),
        labels,
        false,
        "sha256:00");
  }

  private static <T extends IBaseResource> T parse(Class<T> type, String json) {
    return JSON.parseResource(type, json);
  }

  /**
   * A report with a narrative, one contained Observation labelled {@code label}, one unlabelled.
   */
  private static DiagnosticReport report(String label) {
    return parse(
        DiagnosticReport.class,
        """
        {"resourceType":"DiagnosticReport","id":"r1","meta":{"versionId":"3"},
         "text":{"status":"generated","div":"<div xmlns=\\"http://www.w3.org/1999/xhtml\\">HIV test</div>"},
         "contained":[
          {"resourceType":"Observation","id":"sensitive","meta":{"security":[%s]},
           "status":"final","code":{"text":"HIV-1 Ab"}},
          {"resourceType":"Observation","id":"plain","status":"final","code":{"text":"Hb"}}],
         "status":"final","code":{"text":"panel"},"subject":{"reference":"Patient/p1"},
         "result":[{"reference":"#sensitive"},{"reference":"#plain"}]}
        """
            .formatted(label));
  }

  @Test
  void redact_removesALabelledContainedResourceAndItsReferences_onACopy() {
    DiagnosticReport stored = report(LABEL_HIV);
    ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(stored, BundleEntrySearchModeEnum.INCLUDE);
    String before = JSON.encodeResourceToString(stored);

    DiagnosticReport shown =
        (DiagnosticReport) Redactor.redact(stored, permitRedacting(Set.of(HIV)));

    assertThat(shown).isNotSameAs(stored);
    assertThat(JSON.encodeResourceToString(stored)).as("never the argument").isEqualTo(before);
    String json = JSON.encodeResourceToString(shown);
    assertThat(json).doesNotContain("sensitive").doesNotContain("HIV-1").doesNotContain("HIV test");
    assertThat(shown.getContained()).hasSize(1);
    assertThat(shown.getResult()).extracting(r -> r.getReference()).containsExactly("#plain");
    assertThat(shown.hasText()).as("the narrative may describe what was removed").isFalse();
    assertThat(shown.getMeta().getSecurity())
        .anyMatch(
            c ->
                Redactor.OBSERVATION_VALUE.equals(c.getSystem()) && "REDACTED".equals(c.getCode()));
    assertThat(shown.getIdElement().getVersionIdPart()).isEqualTo("3");
    assertThat(ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.get(shown))
        .as("how HAPI lists it in a Bundle")
        .isEqualTo(BundleEntrySearchModeEnum.INCLUDE);
  }

  @Test
  void redact_removesAContainedResourceLabelledInline_asR4RequiresForContainedResources() {
    // dom-5: a contained resource has no meta.security; the inline label sits on the resource
    DiagnosticReport stored =
        parse(
            DiagnosticReport.class,
            """
            {"resourceType":"DiagnosticReport","id":"r2","meta":{"versionId":"1"},
             "contained":[{"resourceType":"Observation","id":"sensitive",
               "extension":[{"url":"%s","valueCoding":%s}],
               "status":"final","code":{"text":"HIV-1 Ab"}}],
             "status":"final","code":{"text":"panel"},"subject":{"reference":"Patient/p1"},
             "result":[{"reference":"#sensitive"}]}
            """
                .formatted(Redactor.INLINE_LABEL, LABEL_HIV));
    DiagnosticReport shown =
        (DiagnosticReport) Redactor.redact(stored, permitRedacting(Set.of(HIV)));
    assertThat(shown.getContained()).isEmpty();
    assertThat(shown.getResult()).isEmpty();
    assertThat(JSON.encodeResourceToString(shown)).doesNotContain("HIV-1");
  }

  @Test
  void redact_withoutLabelledContent_returnsTheResourceItself() {
    DiagnosticReport stored = report(LABEL_PSY);
    assertThat(Redactor.redact(stored, permitRedacting(Set.of(HIV)))).isSameAs(stored);
    assertThat(Redactor.redact(stored, permitRedacting(Set.of()))).isSameAs(stored);
  }

  @Test
  void redact_confidentialityCoversTheNamedLevelAndAbove() {
    Code restricted = Code.of(Code.CONFIDENTIALITY, "R");
    String veryRestricted =
        "{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-Confidentiality\",\"code\":\"V\"}";
    String normal =
        "{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-Confidentiality\",\"code\":\"N\"}";
    DiagnosticReport shown =
        (DiagnosticReport)
            Redactor.redact(report(veryRestricted), permitRedacting(Set.of(restricted)));
    assertThat(shown.getContained()).hasSize(1);
    assertThat(Redactor.redact(report(normal), permitRedacting(Set.of(restricted))))
        .isInstanceOf(DiagnosticReport.class)
        .satisfies(r -> assertThat(((DiagnosticReport) r).getContained()).hasSize(2));
  }

  @Test
  void redact_removesElementsWithAnInlineLabel_atAnyDepth() {
    String inline =
        "\"extension\":[{\"url\":\""
            + Redactor.INLINE_LABEL
            + "\",\"valueCoding\":"
            + LABEL_HIV
            + "}]";
    Observation stored =
        parse(
            Observation.class,
            """
            {"resourceType":"Observation","id":"o1","meta":{"versionId":"1"},"status":"final",
             "code":{"text":"panel"},"subject":{"reference":"Patient/p1"},
             "note":[{"text":"routine"},{%s,"text":"tested for HIV"}],
             "component":[{"code":{"text":"Hb"},"valueString":"normal"},
               {"code":{"text":"viral load"},"valueString":"12 copies","_valueString":{%s}}],
             "valueString":"ok"}
            """
                .formatted(inline, inline));

    Observation shown = (Observation) Redactor.redact(stored, permitRedacting(Set.of(HIV)));

    String json = JSON.encodeResourceToString(shown);
    assertThat(json).doesNotContain("tested for HIV").doesNotContain("12 copies");
    assertThat(json).contains("routine").contains("viral load").contains("normal");
    assertThat(shown.getComponent().get(1).hasValue()).isFalse();
    assertThat(stored.getNote()).hasSize(2);
  }

  @Test
  void redact_inlineLabelOnTheResourceItself_cannotBeRedacted() {
    Observation stored = new Observation();
    stored.setId("Observation/o1/_history/1");
    stored.addExtension(Redactor.INLINE_LABEL, new Coding(Code.ACT_CODE, "HIV", null));
    assertThatThrownBy(() -> Redactor.redact(stored, permitRedacting(Set.of(HIV))))
        .isInstanceOf(Redactor.NotRedactableException.class);
  }

  @Test
  void redact_removesLabelledBundleEntries() {
    Bundle stored =
        parse(
            Bundle.class,
            """
            {"resourceType":"Bundle","id":"b1","type":"collection","entry":[
             {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Observation","status":"final",
               "code":{"text":"Hb"}}},
             {"fullUrl":"urn:uuid:2","resource":{"resourceType":"Observation","status":"final",
               "meta":{"security":[%s]},"code":{"text":"HIV-1 Ab"}}}]}
            """
                .formatted(LABEL_HIV));
    Bundle shown = (Bundle) Redactor.redact(stored, permitRedacting(Set.of(HIV)));
    assertThat(shown.getEntry())
        .extracting(Bundle.BundleEntryComponent::getFullUrl)
        .containsExactly("urn:uuid:1");
    assertThat(stored.getEntry()).hasSize(2);
    assertThat(((Resource) shown).getMeta().getSecurity()).hasSize(1);
  }
}
