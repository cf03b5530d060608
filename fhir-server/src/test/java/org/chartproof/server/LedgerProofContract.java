package org.chartproof.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.chartproof.ledger.entry.Commitment;
import org.chartproof.ledger.entry.LedgerEntry;
import org.chartproof.ledger.entry.Operation;
import org.chartproof.ledger.entry.Salt;
import org.chartproof.ledger.merkle.MerkleHash;
import org.chartproof.ledger.merkle.ProofVerifier;
import org.chartproof.ledger.note.Checkpoint;
import org.chartproof.ledger.note.SignedNote;
import org.chartproof.ledger.note.VerifierKey;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import org.springframework.context.Lifecycle;

/**
 * {@code $ledger-proof}: for every version a reader can fetch, the proof recomputes from the JSON
 * as served and verifies against the signed checkpoint. Mixed into {@link FhirServerContract}, so
 * it runs on H2 and on PostgreSQL.
 */
interface LedgerProofContract {

  FhirContext FHIR = FhirContext.forR4Cached();

  RawHttp http();

  HttpResponse<String> rawGet(String pathOutsideFhir);

  ApplicationContext applicationContext();

  @Test
  default void ledgerProof_everyVersion_recomputesFromTheServedJson_andIsInTheSignedCheckpoint()
      throws Exception {
    String marker = UUID.randomUUID().toString();
    // Tags, profiles and labels out of order, and a source: HAPI serves them sorted, and the
    // commitment must be to what it serves.
    String created =
        """
        {"resourceType":"Patient",
         "meta":{"source":"urn:lab:analyzer-7",
                 "profile":["urn:z-profile","urn:a-profile"],
                 "security":[{"system":"urn:sec","code":"R"},{"system":"urn:sec","code":"N"}],
                 "tag":[{"system":"urn:tags","code":"zulu-%1$s"},{"system":"urn:tags","code":"alpha"}]},
         "name":[{"family":"Proof","given":["Pat"]}],
         "extension":[{"url":"urn:x","valueDecimal":72.50}]}
        """
            .formatted(marker);
    HttpResponse<String> response = http().send("POST", "/Patient", FHIR_JSON, body(created));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    String id = FHIR.newJsonParser().parseResource(response.body()).getIdElement().getIdPart();
    String path = "/Patient/" + id;
    assertThat(http().get("/Patient?_tag=urn:tags%7Czulu-" + marker).body()).contains(id);

    String updated =
        "{\"id\":\"" + id + "\"," + created.strip().substring(1).replace("Proof", "Proof-2");
    assertThat(http().send("PUT", path, FHIR_JSON, body(updated)).statusCode()).isEqualTo(200);
    assertThat(
            http()
                .send(
                    "PATCH",
                    path,
                    "application/json-patch+json",
                    body("[{\"op\":\"add\",\"path\":\"/active\",\"value\":true}]"))
                .statusCode())
        .isEqualTo(200);
    assertThat(http().send("DELETE", path, FHIR_JSON, body("")).statusCode()).isEqualTo(200);

    for (int version = 1; version <= 3; version++) {
      String served = http().get(path + "/_history/" + version).body();
      Parameters proof = awaitIncluded(path + "/_history/" + version);
      LedgerEntry entry = verifiedEntry(proof);
      assertThat(entry.version()).isEqualTo(version);
      assertThat(value(proof, "versionId").primitiveValue()).isEqualTo(Integer.toString(version));
      assertThat(entry.operation()).isEqualTo(version == 1 ? Operation.CREATE : Operation.UPDATE);
      assertThat(code(proof, "operation")).isEqualTo(version == 1 ? "create" : "update");
      assertThat(entry.commitment())
          .as("commitment of version %d recomputed from %s", version, served)
          .isEqualTo(Commitment.commitJson(Salt.of(bytes(proof, "salt")), served));
      assertThat(value(proof, "canonicalization").primitiveValue()).isEqualTo("urn:ietf:rfc:8785");
    }
    Parameters deletion = awaitIncluded(path);
    assertThat(value(deletion, "versionId").primitiveValue()).isEqualTo("4");
    assertThat(http().get(path + "/_history/4").statusCode()).isEqualTo(410);
    LedgerEntry deleted = verifiedEntry(deletion);
    assertThat(deleted.operation()).isEqualTo(Operation.DELETE);
    assertThat(deleted.version()).isEqualTo(4);
    assertThat(deleted.commitment()).isEqualTo(Commitment.NONE);
    assertThat(find(deletion, "salt")).isEmpty();
  }

  @Test
  default void ledgerProof_beforeTheNextCheckpoint_isPending_thenIncluded() throws Exception {
    Lifecycle sequencer = applicationContext().getBean("sequencerSchedule", Lifecycle.class);
    sequencer.stop();
    String path;
    try {
      HttpResponse<String> created =
          http()
              .send(
                  "POST",
                  "/Patient",
                  FHIR_JSON,
                  body("{\"resourceType\":\"Patient\",\"active\":true}"));
      path =
          "/Patient/"
              + FHIR.newJsonParser().parseResource(created.body()).getIdElement().getIdPart();
      HttpResponse<String> pending = http().get(path + "/$ledger-proof");
      assertThat(pending.statusCode()).isEqualTo(200);
      assertThat(pending.headers().firstValue("Retry-After")).contains("1");
      Parameters parameters = FHIR.newJsonParser().parseResource(Parameters.class, pending.body());
      assertThat(code(parameters, "status")).isEqualTo("pending");
      assertThat(LedgerEntry.parse(bytes(parameters, "entry")).operation())
          .isEqualTo(Operation.CREATE);
      assertThat(bytes(parameters, "salt")).hasSize(32);
      assertThat(find(parameters, "leafIndex")).isEmpty();
      assertThat(find(parameters, "inclusionProof")).isEmpty();
    } finally {
      sequencer.start();
    }
    verifiedEntry(awaitIncluded(path));
  }

  @Test
  default void ledgerProof_ofAVersionThatDoesNotExist_is404_andOfAMalformedOne_is400() {
    HttpResponse<String> missing =
        http().get("/Patient/no-such-" + UUID.randomUUID() + "/$ledger-proof");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("No ledger entry");
    HttpResponse<String> created =
        http().send("POST", "/Patient", FHIR_JSON, body("{\"resourceType\":\"Patient\"}"));
    String path =
        "/Patient/" + FHIR.newJsonParser().parseResource(created.body()).getIdElement().getIdPart();
    assertThat(http().get(path + "/_history/2/$ledger-proof").statusCode()).isEqualTo(404);
    assertThat(http().get(path + "/_history/x/$ledger-proof").statusCode()).isEqualTo(400);
  }

  @Test
  default void metaAdd_isRefused_becauseTagsBelongToEachVersion() {
    HttpResponse<String> created =
        http().send("POST", "/Patient", FHIR_JSON, body("{\"resourceType\":\"Patient\"}"));
    String path =
        "/Patient/" + FHIR.newJsonParser().parseResource(created.body()).getIdElement().getIdPart();
    String meta =
        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"meta\",\"valueMeta\":"
            + "{\"tag\":[{\"system\":\"urn:t\",\"code\":\"x\"}]}}]}";

    HttpResponse<String> response = http().send("POST", path + "/$meta-add", FHIR_JSON, body(meta));

    assertThat(response.statusCode()).isEqualTo(501);
    assertThat(response.body()).contains("change them with an update");
    assertThat(http().get(path + "/_history/2").statusCode()).isEqualTo(404);
  }

  // ---- helpers: verification as a reader would do it, with the ledger-module's verifiers ----

  String FHIR_JSON = "application/fhir+json";

  /** Checks the checkpoint signature and the inclusion proof; returns the proven entry. */
  private LedgerEntry verifiedEntry(Parameters proof) throws Exception {
    VerifierKey key = VerifierKey.parse(rawGet("/ledger/key").body().trim());
    String note = value(proof, "checkpoint").primitiveValue();
    Checkpoint checkpoint =
        Checkpoint.parse(
            SignedNote.open(note.getBytes(StandardCharsets.UTF_8), List.of(key)).text());
    byte[] entry = bytes(proof, "entry");
    List<byte[]> path =
        proof.getParameter().stream()
            .filter(p -> p.getName().equals("inclusionProof"))
            .map(p -> ((Base64BinaryType) p.getValue()).getValue())
            .toList();
    long treeSize = Long.parseLong(value(proof, "treeSize").primitiveValue());
    assertThat(treeSize).isEqualTo(checkpoint.treeSize());
    ProofVerifier.verifyInclusion(
        Long.parseLong(value(proof, "leafIndex").primitiveValue()),
        treeSize,
        MerkleHash.leafHash(entry),
        path,
        checkpoint.rootHash());
    return LedgerEntry.parse(entry);
  }

  private Parameters awaitIncluded(String fhirPath) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      HttpResponse<String> response = http().get(fhirPath + "/$ledger-proof");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      Parameters parameters = FHIR.newJsonParser().parseResource(Parameters.class, response.body());
      if (code(parameters, "status").equals("included")) {
        return parameters;
      }
      assertThat(System.nanoTime()).as("still pending: " + fhirPath).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static java.net.http.HttpRequest.BodyPublisher body(String json) {
    return java.net.http.HttpRequest.BodyPublishers.ofString(json);
  }

  private static Optional<ParametersParameterComponent> find(Parameters parameters, String name) {
    return parameters.getParameter().stream().filter(p -> p.getName().equals(name)).findFirst();
  }

  private static org.hl7.fhir.r4.model.Type value(Parameters parameters, String name) {
    return find(parameters, name).orElseThrow(() -> new AssertionError("no " + name)).getValue();
  }

  private static String code(Parameters parameters, String name) {
    return value(parameters, name).primitiveValue();
  }

  private static byte[] bytes(Parameters parameters, String name) {
    return Base64.getDecoder().decode(value(parameters, name).primitiveValue());
  }
}
