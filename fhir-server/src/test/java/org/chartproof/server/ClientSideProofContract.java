package org.chartproof.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.chartproof.server.ClientSideVerifier.Entry;
import org.chartproof.server.ClientSideVerifier.VerificationException;
import org.junit.jupiter.api.Test;

/**
 * Issue #3's client-side check: a reader that has only docs/ledger.md, an HTTP client and the
 * {@code $ledger-proof} answer can verify a version it reads, and rejects every tampered piece.
 * Verification goes through {@link ClientSideVerifier}, which uses no Chartproof or HAPI class.
 * Mixed into {@link FhirServerContract}, so it runs on H2 and on PostgreSQL.
 */
interface ClientSideProofContract {

  RawHttp http();

  HttpResponse<String> rawGet(String pathOutsideFhir);

  @Test
  default void clientSide_everyVersionAsServed_verifiesFromTheDocumentedFormatsAlone()
      throws Exception {
    String observation = createAndUpdateObservation();
    for (int version = 1; version <= 2; version++) {
      String served = served(observation, version);
      // RFC 8785 commits to 72.5: a verifier that hashed the served bytes would fail here.
      assertThat(served).contains(version == 1 ? "72.50" : "73.10").contains("Körpergewicht");
      Entry entry = ClientSideVerifier.verify(served, proof(observation, version), vkey());
      assertThat(entry.op()).isEqualTo(version == 1 ? "CREATE" : "UPDATE");
      assertThat(entry.type()).isEqualTo("Observation");
      assertThat(entry.version()).isEqualTo(version);
    }
  }

  @Test
  default void clientSide_anyChangedCharacterInTheServedJson_isRejected() throws Exception {
    String observation = createAndUpdateObservation();
    String served = served(observation, 1);
    String proof = proof(observation, 1);
    String vkey = vkey();
    ClientSideVerifier.verify(served, proof, vkey);

    assertThatThrownBy(
            () -> ClientSideVerifier.verify(served.replace("72.50", "72.51"), proof, vkey))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("commitment mismatch");
    for (int i = 0; i < served.length(); i++) {
      char changed = served.charAt(i) == 'x' ? 'y' : 'x';
      String tampered = served.substring(0, i) + changed + served.substring(i + 1);
      assertThatThrownBy(() -> ClientSideVerifier.verify(tampered, proof, vkey))
          .as("character %d of %s changed", i, served)
          .isInstanceOf(VerificationException.class);
    }
  }

  @Test
  default void clientSide_aFlippedBitInAnyInclusionProofHash_isRejected() throws Exception {
    String observation = createAndUpdateObservation();
    String served = served(observation, 1);
    String proof = proof(observation, 1);
    String vkey = vkey();
    ClientSideVerifier.verify(served, proof, vkey);

    int hashes = count(proof, "inclusionProof");
    assertThat(hashes).as("a tree of at least two leaves has a proof").isPositive();
    for (int h = 0; h < hashes; h++) {
      for (int bit = 0; bit < 256; bit++) {
        int b = bit;
        String tampered =
            withParameter(proof, "inclusionProof", h, v -> base64(flipBit(bytes(v), b)));
        assertThatThrownBy(() -> ClientSideVerifier.verify(served, tampered, vkey))
            .as("bit %d of proof hash %d flipped", bit, h)
            .isInstanceOf(VerificationException.class)
            .hasMessageStartingWith("root from the inclusion proof mismatch");
      }
    }
  }

  @Test
  default void clientSide_aWrongLeafIndex_isRejected() throws Exception {
    String observation = createAndUpdateObservation();
    String served = served(observation, 1);
    String proof = proof(observation, 1);
    String vkey = vkey();
    ClientSideVerifier.verify(served, proof, vkey);

    long index = parameter(proof, "leafIndex").asLong();
    long size = parameter(proof, "treeSize").asLong();
    long sibling = (index ^ 1) < size ? index ^ 1 : index - 1;
    for (long wrong : new long[] {sibling, index + 1, size, size + 1, -1}) {
      if (wrong == index) {
        continue;
      }
      String tampered = withParameter(proof, "leafIndex", 0, v -> IntNode.valueOf((int) wrong));
      assertThatThrownBy(() -> ClientSideVerifier.verify(served, tampered, vkey))
          .as("leaf index %d instead of %d in a tree of %d", wrong, index, size)
          .isInstanceOf(VerificationException.class);
    }
  }

  @Test
  default void clientSide_aChangedByteInTheCheckpointSignature_isRejected() throws Exception {
    String observation = createAndUpdateObservation();
    String served = served(observation, 1);
    String proof = proof(observation, 1);
    String vkey = vkey();
    ClientSideVerifier.verify(served, proof, vkey);

    String note = parameter(proof, "checkpoint").asText();
    int signatureStart = note.lastIndexOf(' ') + 1;
    byte[] blob = Base64.getDecoder().decode(note.substring(signatureStart).strip());
    assertThat(blob).as("4-byte key id and 64-byte Ed25519 signature").hasSize(68);
    for (int i = 0; i < blob.length; i++) {
      byte[] changed = blob.clone();
      changed[i] ^= 0x01;
      String tamperedNote = note.substring(0, signatureStart) + base64(changed).asText() + "\n";
      String tampered = withParameter(proof, "checkpoint", 0, v -> TextNode.valueOf(tamperedNote));
      assertThatThrownBy(() -> ClientSideVerifier.verify(served, tampered, vkey))
          .as("byte %d of the signature line changed", i)
          .isInstanceOf(VerificationException.class)
          .hasMessageContaining(i < 4 ? "has no signature by" : "is invalid");
    }
  }

  @Test
  default void clientSide_aCheckpointCheckedAgainstAnotherKey_isRejected() throws Exception {
    String observation = createAndUpdateObservation();
    String served = served(observation, 1);
    String proof = proof(observation, 1);
    String vkey = vkey();
    ClientSideVerifier.verify(served, proof, vkey);

    byte[] spki =
        KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
    byte[] otherKey = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    String sameName = vkey.substring(0, vkey.indexOf('+'));
    String otherVkey = ClientSideVerifier.VerifierKey.encode(sameName, otherKey);
    assertThatThrownBy(() -> ClientSideVerifier.verify(served, proof, otherVkey))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("checkpoint has no signature by " + sameName);
  }

  // ---- helpers: HTTP as any client would do it ----

  /** Creates then updates an Observation; returns its path once both versions are in the log. */
  private String createAndUpdateObservation() throws Exception {
    String json =
        """
        {"resourceType":"Observation",
         "meta":{"tag":[{"system":"urn:chartproof:test","code":"zulu"},
                        {"system":"urn:chartproof:test","code":"alpha"}]},
         "status":"final",
         "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}],"text":"Körpergewicht"},
         "valueQuantity":{"value":72.50,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}
        """;
    HttpResponse<String> created =
        http().send("POST", "/Observation", "application/fhir+json", BodyPublishers.ofString(json));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = new ObjectMapper().readTree(created.body()).path("id").asText();
    String updated =
        json.replace("{\"resourceType\"", "{\"id\":\"" + id + "\",\"resourceType\"")
            .replace("72.50", "73.10")
            .replace("final", "amended");
    HttpResponse<String> response =
        http()
            .send(
                "PUT",
                "/Observation/" + id,
                "application/fhir+json",
                BodyPublishers.ofString(updated));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String observation = "/Observation/" + id;
    // Once version 2 is in a checkpoint, version 1's proof comes from a tree of >= 2 leaves.
    proof(observation, 2);
    return observation;
  }

  private String served(String observation, int version) {
    HttpResponse<String> response = http().get(observation + "/_history/" + version);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  /** The {@code $ledger-proof} answer, polled while it is pending (bounded). */
  private String proof(String observation, int version) throws Exception {
    String path = observation + "/_history/" + version + "/$ledger-proof";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      HttpResponse<String> response = http().get(path);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      String status = parameter(response.body(), "status").asText();
      if (status.equals("included")) {
        return response.body();
      }
      assertThat(status).isEqualTo("pending");
      assertThat(response.headers().firstValue("Retry-After")).contains("1");
      assertThat(System.nanoTime()).as("still pending: " + path).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private String vkey() {
    HttpResponse<String> response = rawGet("/ledger/key");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body().strip();
  }

  // ---- helpers: the Parameters answer as JSON, and tampering with it ----

  private static JsonNode parameter(String parametersJson, String name) throws Exception {
    for (JsonNode p : new ObjectMapper().readTree(parametersJson).path("parameter")) {
      if (p.path("name").asText().equals(name)) {
        return value(p);
      }
    }
    throw new AssertionError("no parameter " + name + " in " + parametersJson);
  }

  private static int count(String parametersJson, String name) throws Exception {
    int count = 0;
    for (JsonNode p : new ObjectMapper().readTree(parametersJson).path("parameter")) {
      count += p.path("name").asText().equals(name) ? 1 : 0;
    }
    return count;
  }

  /** The answer with the value of the {@code occurrence}-th parameter {@code name} replaced. */
  private static String withParameter(
      String parametersJson, String name, int occurrence, UnaryOperator<JsonNode> change)
      throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode root = mapper.readTree(parametersJson);
    int seen = 0;
    for (JsonNode p : root.path("parameter")) {
      if (p.path("name").asText().equals(name) && seen++ == occurrence) {
        String field = valueField(p);
        ((ObjectNode) p).set(field, change.apply(p.get(field)));
        return mapper.writeValueAsString(root);
      }
    }
    throw new AssertionError("no parameter " + name + " #" + occurrence);
  }

  private static JsonNode value(JsonNode parameter) {
    return parameter.get(valueField(parameter));
  }

  private static String valueField(JsonNode parameter) {
    for (Iterator<String> names = parameter.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (field.startsWith("value")) {
        return field;
      }
    }
    throw new AssertionError("parameter without a value: " + parameter);
  }

  private static byte[] bytes(JsonNode base64) {
    return Base64.getDecoder().decode(base64.asText());
  }

  private static JsonNode base64(byte[] bytes) {
    return TextNode.valueOf(Base64.getEncoder().encodeToString(bytes));
  }

  private static byte[] flipBit(byte[] bytes, int bit) {
    byte[] flipped = bytes.clone();
    flipped[bit / 8] ^= (byte) (1 << (bit % 8));
    return flipped;
  }
}
