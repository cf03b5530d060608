package org.chartproof.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.chartproof.ledger.JsonCases;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the transparency-dev/merkle RFC 6962 proof vectors kept in {@code
 * ../shared/testdata/rfc6962} next to the repository root (see its README.md): every happy path
 * must verify and every {@code wantErr} case must be rejected.
 */
class Rfc6962VectorTest {

  /** Walks up from the working directory to the repository root, the directory holding mvnw. */
  static Path vectorRoot() {
    Path start = Paths.get("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))) {
        Path vectors = dir.resolveSibling("shared").resolve("testdata").resolve("rfc6962");
        if (!Files.isDirectory(vectors)) {
          throw new IllegalStateException(
              "RFC 6962 test vectors missing: expected " + vectors + " next to the repository");
        }
        return vectors;
      }
    }
    throw new IllegalStateException("no directory containing mvnw above " + start);
  }

  static Stream<Arguments> inclusionVectors() {
    return vectors("inclusion");
  }

  static Stream<Arguments> consistencyVectors() {
    return vectors("consistency");
  }

  private static Stream<Arguments> vectors(String kind) {
    return JsonCases.walk(vectorRoot().resolve(kind));
  }

  private static byte[] bytes(JsonNode node, String field) {
    return Base64.getDecoder().decode(node.get(field).asText());
  }

  private static List<byte[]> proof(JsonNode node) {
    List<byte[]> proof = new ArrayList<>();
    node.path("proof").forEach(hash -> proof.add(Base64.getDecoder().decode(hash.asText())));
    return proof;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusionVectors")
  void verifyInclusion_vector_acceptsHappyPathAndRejectsWantErr(JsonNode v) {
    var verification =
        assertThatCode(
            () ->
                ProofVerifier.verifyInclusion(
                    v.get("leafIdx").asLong(),
                    v.get("treeSize").asLong(),
                    bytes(v, "leafHash"),
                    proof(v),
                    bytes(v, "root")));
    if (v.get("wantErr").asBoolean()) {
      verification.as(v.get("desc").asText()).isInstanceOf(ProofVerificationException.class);
    } else {
      verification.as(v.get("desc").asText()).doesNotThrowAnyException();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consistencyVectors")
  void verifyConsistency_vector_acceptsHappyPathAndRejectsWantErr(JsonNode v) {
    var verification =
        assertThatCode(
            () ->
                ProofVerifier.verifyConsistency(
                    v.get("size1").asLong(),
                    v.get("size2").asLong(),
                    proof(v),
                    bytes(v, "root1"),
                    bytes(v, "root2")));
    if (v.get("wantErr").asBoolean()) {
      verification.as(v.get("desc").asText()).isInstanceOf(ProofVerificationException.class);
    } else {
      verification.as(v.get("desc").asText()).doesNotThrowAnyException();
    }
  }

  @Test
  void vectors_arePresentWithBothOutcomes() {
    for (Stream<Arguments> vectors : List.of(inclusionVectors(), consistencyVectors())) {
      List<JsonNode> nodes =
          vectors.map(a -> (JsonNode) ((Named<?>) a.get()[0]).getPayload()).toList();
      assertThat(nodes).hasSizeGreaterThan(50);
      assertThat(nodes).anyMatch(n -> n.get("wantErr").asBoolean());
      assertThat(nodes).anyMatch(n -> !n.get("wantErr").asBoolean());
    }
  }
}
