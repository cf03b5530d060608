package org.chartproof.consent;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Consent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one {@link ConsentEngine#decide} with compiled (cached) consents: three Consents of the
 * patient, one with provisions three levels deep, twelve matchers in all (actors with and without
 * role, action, purpose, class, code, dataPeriod, securityLabel, data authoredby). Not a test: run
 * with {@code ./mvnw -B -pl consent-engine -Pbench -DskipTests test} (docs/consent.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DecideBenchmark {

  private static final String PT = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
  private static final String ROLE = "http://terminology.hl7.org/CodeSystem/practitioner-role";
  private static final String LOINC = "http://loinc.org";

  static final String NESTED =
      """
      {"resourceType":"Consent","id":"n1","meta":{"versionId":"4"},"status":"active",
       "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
       "patient":{"reference":"Patient/123"},
       "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTOUT"}]},
       "provision":{"period":{"start":"2020-01-01","end":"2030-12-31"},
        "actor":[{"role":{"coding":[{"system":"%1$s","code":"PRCP"}]},"reference":{"reference":"Practitioner/12"}}],
        "provision":[{"type":"deny","class":[{"system":"http://hl7.org/fhir/resource-types","code":"Observation"}],
          "provision":[{"type":"permit","code":[{"coding":[{"system":"%2$s","code":"8867-4"}]}],
            "provision":[{"type":"deny","dataPeriod":{"start":"2020-01-01","end":"2020-12-31"}}]}]}]}}
      """
          .formatted(PT, LOINC);

  static final String NOT_THEM =
      """
      {"resourceType":"Consent","id":"t1","meta":{"versionId":"2"},"status":"active",
       "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
       "patient":{"reference":"Patient/123"},
       "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"}]},
       "provision":{"actor":[{"role":{"coding":[{"system":"%1$s","code":"PRCP"}]},"reference":{"reference":"Practitioner/f204"}}],
        "action":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentaction","code":"access"}]}],
        "code":[{"coding":[{"system":"%2$s","code":"75622-1"}]}]}}
      """
          .formatted(PT, LOINC);

  static final String DOCTORS =
      """
      {"resourceType":"Consent","id":"d1","meta":{"versionId":"1"},"status":"active",
       "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
       "patient":{"reference":"Patient/123"},
       "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTOUT"}]},
       "provision":{"actor":[{"role":{"coding":[{"system":"%1$s","code":"doctor"}]},"reference":{"reference":"Organization/7"}}],
        "purpose":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"TREAT"}],
        "securityLabel":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"N"}],
        "provision":[{"type":"deny","securityLabel":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"PSY"}]},
                     {"type":"deny","data":[{"meaning":"authoredby","reference":{"reference":"Practitioner/99"}}]}]}}
      """
          .formatted(ROLE);

  private final ConsentEngine engine = new ConsentEngine(new Policy(BasePolicy.OPT_IN, true));
  private final Instant now = Instant.parse("2026-03-01T12:00:00Z");
  private List<CompiledConsent> consents;
  private AccessRequest permitted;
  private AccessRequest denied;

  @Setup
  public void setUp() {
    var parser = FhirContext.forR4Cached().newJsonParser();
    consents =
        List.of(NESTED, NOT_THEM, DOCTORS).stream()
            .map(json -> engine.compile(parser.parseResource(Consent.class, json)))
            .toList();
    permitted = request("Practitioner/12");
    denied = request("Practitioner/f204");
    check(decidePermitted(), Verdict.PERMIT, "provision");
    check(decideDenied(), Verdict.DENY, "policyRule");
  }

  @Benchmark
  public Decision decidePermitted() {
    return engine.decide(consents, permitted, now);
  }

  @Benchmark
  public Decision decideDenied() {
    return engine.decide(consents, denied, now);
  }

  static AccessRequest request(String practitioner) {
    return new AccessRequest(
        new Requester(
            practitioner,
            "Organization/7",
            "ehr-app",
            Set.of(new Code(ROLE, "doctor")),
            Set.of("CareTeam/5")),
        "Patient/123",
        "access",
        Set.of("TREAT"),
        new ResourceFacts(
            "Observation",
            "o1",
            "3",
            Set.of(new Code(Code.CONFIDENTIALITY, "N")),
            Set.of(new Code(LOINC, "8867-4")),
            Set.of(),
            Instant.parse("2024-05-01T10:00:00Z"),
            Set.of(practitioner),
            Set.of("Patient/123", "Encounter/e1"),
            Set.of()),
        null);
  }

  private static void check(Decision decision, Verdict verdict, String provision) {
    if (decision.verdict() != verdict || !provision.equals(decision.reason().provision())) {
      throw new IllegalStateException("benchmark fixture decides " + decision);
    }
  }
}
