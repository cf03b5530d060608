package org.chartproof.consent.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.chartproof.consent.AccessRequest;
import org.chartproof.consent.Code;
import org.chartproof.consent.CompiledConsent;
import org.chartproof.consent.ConsentEngine;
import org.chartproof.consent.Decision;
import org.chartproof.consent.Policy;
import org.chartproof.consent.RuleVersion;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of src/test/resources/consent-cases/*.json: the consents (inline, or {@code
 * {"file": "spec/..."}}), the request, {@code now} and the deployment policy go in; the verdict,
 * reason, break-glass flag and redaction must come out as expected. Each decision must also be the
 * same for the consents in reverse order, and must replay (record, canonical JSON, read back,
 * {@link Replay#check}) as confirmed.
 */
class ConsentCasesTest {

  static Stream<Arguments> cases() throws IOException, URISyntaxException {
    Path dir = Path.of(ConsentCasesTest.class.getResource("/consent-cases").toURI());
    List<Arguments> cases = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode json = RecordJson.MAPPER.readTree(file.toFile());
        cases.add(Arguments.of(file.getFileName().toString(), json, dir));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decide_givesTheExpectedVerdictAndReason_andReplays(String name, JsonNode c, Path dir)
      throws IOException {
    String desc = name + ": " + RecordJson.text(c, "desc");
    Policy policy = RecordJson.policy(RecordJson.required(c, "policy"));
    List<Consent> consents = consents(RecordJson.required(c, "consents"), dir);
    AccessRequest request = RecordJson.request(RecordJson.required(c, "request"));
    Instant now = RecordJson.instant(c, "now");
    ConsentEngine engine = new ConsentEngine(policy);
    List<CompiledConsent> compiled = consents.stream().map(engine::compile).toList();

    Decision decision = engine.decide(compiled, request, now);

    JsonNode expect = RecordJson.required(c, "expect");
    JsonNode reason = RecordJson.required(expect, "reason");
    assertThat(decision.verdict().name()).as(desc).isEqualTo(RecordJson.text(expect, "verdict"));
    assertThat(decision.reason().kind().name()).as(desc).isEqualTo(RecordJson.text(reason, "kind"));
    assertThat(decision.reason().consent()).as(desc).isEqualTo(textOrNull(reason, "consent"));
    assertThat(decision.reason().provision()).as(desc).isEqualTo(textOrNull(reason, "provision"));
    assertThat(decision.breakGlass()).as(desc).isEqualTo(expect.path("breakGlass").asBoolean());
    assertThat(labels(decision.redactLabels()))
        .as(desc)
        .isEqualTo(expectedLabels(expect.path("redactLabels")));
    assertThat(decision.ruleVersion()).isEqualTo(RuleVersion.current());

    List<CompiledConsent> reversed = new ArrayList<>(compiled);
    Collections.reverse(reversed);
    assertThat(engine.decide(reversed, request, now)).as(desc + " (reversed)").isEqualTo(decision);

    String recorded = RecordedDecision.of(policy, consents, request, now, decision).toJson();
    ReplayResult replay = Replay.check(RecordedDecision.fromJson(recorded));
    assertThat(replay.outcome())
        .as(desc + " " + replay.message())
        .isEqualTo(ReplayResult.Outcome.CONFIRMED);
  }

  private static List<Consent> consents(JsonNode array, Path dir) throws IOException {
    var parser = FhirContext.forR4Cached().newJsonParser();
    List<Consent> out = new ArrayList<>();
    for (JsonNode entry : array) {
      String json =
          entry.has("file")
              ? Files.readString(dir.resolve(entry.get("file").asText()))
              : RecordJson.MAPPER.writeValueAsString(entry);
      out.add(parser.parseResource(Consent.class, json));
    }
    return out;
  }

  private static Set<String> labels(Set<Code> codes) {
    Set<String> out = new HashSet<>();
    codes.forEach(code -> out.add(code.toString()));
    return out;
  }

  private static Set<String> expectedLabels(JsonNode array) {
    Set<String> out = new HashSet<>();
    array.forEach(
        c -> out.add(new Code(c.path("system").asText(null), c.get("code").asText()).toString()));
    return out;
  }

  private static String textOrNull(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null ? null : value.asText();
  }
}
