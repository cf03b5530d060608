package org.chartproof.ledger.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.core.Response;

/** The hand-written ABI against the committed one that chain/compile.js generated. */
class AnchorAbiTest {

  static final String ACCOUNT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  static final byte[] HASH = new byte[32];

  @Test
  void everyHandWrittenFunction_matchesTheCommittedAbi() throws Exception {
    List<String> committed = new ArrayList<>();
    for (JsonNode entry : new ObjectMapper().readTree(AnchorAbi.ABI_JSON)) {
      if (entry.path("type").asText().equals("function")) {
        committed.add(
            signature(
                entry.path("name").asText(),
                types(entry.path("inputs")),
                types(entry.path("outputs"))));
      }
    }
    List<Function> handWritten =
        List.of(
            AnchorAbi.anchor(1, HASH, HASH),
            AnchorAbi.count(),
            AnchorAbi.anchorAt(0),
            AnchorAbi.latest(),
            AnchorAbi.logId(),
            AnchorAbi.admin(),
            AnchorAbi.isSubmitter(ACCOUNT),
            AnchorAbi.addSubmitter(ACCOUNT),
            AnchorAbi.removeSubmitter(ACCOUNT),
            AnchorAbi.transferAdmin(ACCOUNT));

    List<String> ours = new ArrayList<>();
    for (Function f : handWritten) {
      ours.add(
          signature(
              f.getName(),
              f.getInputParameters().stream().map(Type::getTypeAsString).toList(),
              f.getOutputParameters().stream().map(AnchorAbiTest::typeName).toList()));
    }
    assertThat(ours).containsExactlyInAnyOrderElementsOf(committed);
  }

  @Test
  void anchoredEvent_matchesTheCommittedAbi() throws Exception {
    for (JsonNode entry : new ObjectMapper().readTree(AnchorAbi.ABI_JSON)) {
      if (entry.path("type").asText().equals("event")
          && entry.path("name").asText().equals("Anchored")) {
        List<String> declared = new ArrayList<>();
        for (JsonNode input : entry.path("inputs")) {
          declared.add(
              input.path("type").asText() + (input.path("indexed").asBoolean() ? " indexed" : ""));
        }
        List<String> ours =
            AnchorAbi.ANCHORED.getParameters().stream()
                .map(p -> typeName(p) + (p.isIndexed() ? " indexed" : ""))
                .toList();
        assertThat(ours).isEqualTo(declared);
        return;
      }
    }
    throw new AssertionError("no Anchored event in the committed ABI");
  }

  @Test
  void rejection_besuHexData_decodesCustomErrorAndArguments() {
    // TreeSizeNotIncreasing(uint64,uint64) with (10, 5)
    String data = selector("TreeSizeNotIncreasing(uint64,uint64)") + word(10) + word(5);

    AnchorRejectedException e =
        AnchorAbi.rejection("anchor", error(-32000, "Execution reverted", "\"" + data + "\""))
            .orElseThrow();

    assertThat(e.errorName()).isEqualTo("TreeSizeNotIncreasing");
    assertThat(e.arguments()).containsExactly(BigInteger.TEN, BigInteger.valueOf(5));
    assertThat(e.getMessage())
        .isEqualTo("anchor rejected by the anchor contract: TreeSizeNotIncreasing(10, 5)");
  }

  @Test
  void rejection_hardhatObjectData_decodesCustomError() {
    String data = selector("NotSubmitter()");
    String raw = "{\"message\":\"reverted with custom error\",\"data\":\"" + data + "\"}";

    assertThat(
            AnchorAbi.rejection("anchor", error(-32603, "VM Exception", raw))
                .orElseThrow()
                .errorName())
        .isEqualTo("NotSubmitter");
  }

  @Test
  void rejection_unknownSelector_namedUnknownWithTheData() {
    AnchorRejectedException e =
        AnchorAbi.rejection("x", error(3, "execution reverted", "\"0xdeadbeef\"")).orElseThrow();

    assertThat(e.errorName()).isEqualTo("unknown");
    assertThat(e.arguments()).containsExactly("0xdeadbeef");
  }

  @Test
  void rejection_nodeErrorThatIsNoRevert_empty() {
    assertThat(
            AnchorAbi.rejection(
                "x", error(-32000, "insufficient funds for gas * price + value", null)))
        .isEmpty();
    assertThat(AnchorAbi.rejection("x", error(-32000, "nonce too low", "\"0x\""))).isEmpty();
  }

  private static Response.Error error(int code, String message, String rawData) {
    Response.Error error = new Response.Error(code, message);
    error.setData(rawData);
    return error;
  }

  private static String selector(String signature) {
    return org.web3j.crypto.Hash.sha3String(signature).substring(0, 10);
  }

  private static String word(long value) {
    return String.format("%064x", value);
  }

  private static List<String> types(JsonNode parameters) {
    List<String> types = new ArrayList<>();
    parameters.forEach(p -> types.add(p.path("type").asText()));
    return types;
  }

  private static String signature(String name, List<String> inputs, List<String> outputs) {
    return name + "(" + String.join(",", inputs) + ") returns (" + String.join(",", outputs) + ")";
  }

  private static String typeName(TypeReference<?> reference) {
    try {
      return reference.getClassType().getSimpleName().toLowerCase(Locale.ROOT);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
