package org.chartproof.ledger.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.NumericType;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The {@code ChartproofAnchor} contract's ABI, written out by hand with web3j's ABI types (no
 * generated wrapper). The deployment bytecode and the custom errors come from the committed
 * resources that {@code chain/compile.js} produces; {@code AnchorAbiTest} checks every function
 * here against the committed ABI.
 */
final class AnchorAbi {

  private static final String RESOURCE_PREFIX = "ChartproofAnchor";

  /** Deployment bytecode, hex without {@code 0x}. */
  static final String BYTECODE = resource(".bin").strip();

  static final String ABI_JSON = resource(".abi.json");

  static final Event ANCHORED =
      new Event(
          "Anchored",
          List.of(
              new TypeReference<Uint256>(true) {},
              new TypeReference<Uint64>() {},
              new TypeReference<Bytes32>() {},
              new TypeReference<Bytes32>() {},
              new TypeReference<Address>(true) {}));

  private static final String ANCHORED_TOPIC = EventEncoder.encode(ANCHORED);

  /**
   * The checkpoint fields that {@code anchorAt} returns and {@code latest} returns after the index.
   */
  private static final List<TypeReference<?>> CHECKPOINT_FIELDS =
      List.of(
          new TypeReference<Uint64>() {},
          new TypeReference<Bytes32>() {},
          new TypeReference<Bytes32>() {},
          new TypeReference<Address>() {},
          new TypeReference<Uint64>() {},
          new TypeReference<Uint64>() {});

  private static final Pattern HEX_DATA = Pattern.compile("0x(?:[0-9a-fA-F]{2})*");

  /** Custom errors by their 4-byte selector ({@code 0x} and 8 hex digits), plus Solidity's own. */
  private static final Map<String, AbiError> ERRORS = errors();

  private record AbiError(String name, List<TypeReference<Type>> arguments) {}

  private AnchorAbi() {}

  static String deployData(byte[] logId) {
    return BYTECODE + FunctionEncoder.encodeConstructor(List.of(new Bytes32(logId)));
  }

  static Function anchor(long treeSize, byte[] root, byte[] checkpointHash) {
    return new Function(
        "anchor",
        List.of(new Uint64(treeSize), new Bytes32(root), new Bytes32(checkpointHash)),
        List.of(new TypeReference<Uint256>() {}));
  }

  static Function count() {
    return new Function("count", List.of(), List.of(new TypeReference<Uint256>() {}));
  }

  static Function anchorAt(long index) {
    return new Function("anchorAt", List.of(new Uint256(index)), CHECKPOINT_FIELDS);
  }

  static Function latest() {
    List<TypeReference<?>> outputs = new ArrayList<>();
    outputs.add(new TypeReference<Uint256>() {});
    outputs.addAll(CHECKPOINT_FIELDS);
    return new Function("latest", List.of(), outputs);
  }

  static Function logId() {
    return new Function("logId", List.of(), List.of(new TypeReference<Bytes32>() {}));
  }

  static Function admin() {
    return new Function("admin", List.of(), List.of(new TypeReference<Address>() {}));
  }

  static Function isSubmitter(String account) {
    return new Function(
        "isSubmitter", List.of(new Address(account)), List.of(new TypeReference<Bool>() {}));
  }

  static Function addSubmitter(String account) {
    return new Function("addSubmitter", List.of(new Address(account)), List.of());
  }

  static Function removeSubmitter(String account) {
    return new Function("removeSubmitter", List.of(new Address(account)), List.of());
  }

  static Function transferAdmin(String newAdmin) {
    return new Function("transferAdmin", List.of(new Address(newAdmin)), List.of());
  }

  /** Decodes {@code fields} (the six of {@code anchorAt}) into the anchor at {@code index}. */
  static AnchoredCheckpoint checkpoint(long index, List<Type> fields) {
    return new AnchoredCheckpoint(
        index,
        ((Uint64) fields.get(0)).getValue().longValueExact(),
        ((Bytes32) fields.get(1)).getValue(),
        ((Bytes32) fields.get(2)).getValue(),
        Keys.toChecksumAddress(((Address) fields.get(3)).getValue()),
        ((Uint64) fields.get(4)).getValue().longValueExact(),
        ((Uint64) fields.get(5)).getValue().longValueExact());
  }

  /** Returns the index of the anchor that {@code receipt}'s {@code Anchored} event reports. */
  static Optional<Long> anchoredIndex(TransactionReceipt receipt, String contract) {
    for (Log log : receipt.getLogs()) {
      if (log.getAddress().equalsIgnoreCase(contract)
          && log.getTopics().size() == 3
          && log.getTopics().get(0).equals(ANCHORED_TOPIC)) {
        return Optional.of(
            new BigInteger(log.getTopics().get(1).substring(2), 16).longValueExact());
      }
    }
    return Optional.empty();
  }

  /**
   * Reads a JSON-RPC error as a revert, if it is one. Nodes put the revert data in {@code
   * error.data}: as a hex string (Besu, Geth) or as {@code {"message": .., "data": "0x.."}}
   * (Hardhat).
   */
  static Optional<AnchorRejectedException> rejection(String what, Response.Error error) {
    Optional<String> data = revertData(error.getData());
    if (data.isPresent()) {
      return Optional.of(decodeRevert(what, data.get()));
    }
    String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("revert")) {
      return Optional.of(new AnchorRejectedException(what, "unknown", List.of()));
    }
    return Optional.empty();
  }

  static AnchorRejectedException decodeRevert(String what, String data) {
    AbiError error =
        data.length() >= 10 ? ERRORS.get(data.substring(0, 10).toLowerCase(Locale.ROOT)) : null;
    if (error == null) {
      return new AnchorRejectedException(what, "unknown", List.of(data));
    }
    List<Object> arguments = new ArrayList<>();
    for (Type value : FunctionReturnDecoder.decode(data.substring(10), error.arguments())) {
      arguments.add(value instanceof NumericType n ? n.getValue() : value.getValue().toString());
    }
    return new AnchorRejectedException(what, error.name(), arguments);
  }

  private static Optional<String> revertData(String rawJson) {
    if (rawJson == null) {
      return Optional.empty();
    }
    try {
      JsonNode node = new ObjectMapper().readTree(rawJson);
      JsonNode data = node.isObject() ? node.path("data") : node;
      return Optional.of(data.asText())
          .filter(s -> s.length() >= 10 && HEX_DATA.matcher(s).matches());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Map<String, AbiError> errors() {
    Map<String, AbiError> errors = new HashMap<>();
    try {
      errors.put("0x08c379a0", new AbiError("Error", List.of(typeReference("string"))));
      errors.put("0x4e487b71", new AbiError("Panic", List.of(typeReference("uint256"))));
      for (JsonNode entry : new ObjectMapper().readTree(ABI_JSON)) {
        if (!entry.path("type").asText().equals("error")) {
          continue;
        }
        List<String> types = new ArrayList<>();
        List<TypeReference<Type>> arguments = new ArrayList<>();
        for (JsonNode input : entry.path("inputs")) {
          types.add(input.path("type").asText());
          arguments.add(typeReference(input.path("type").asText()));
        }
        String signature = entry.path("name").asText() + "(" + String.join(",", types) + ")";
        String selector = Hash.sha3String(signature).substring(0, 10);
        errors.put(selector, new AbiError(entry.path("name").asText(), arguments));
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("the committed ChartproofAnchor ABI is unreadable", e);
    }
    return Map.copyOf(errors);
  }

  @SuppressWarnings("unchecked")
  private static TypeReference<Type> typeReference(String solidityType)
      throws ClassNotFoundException {
    return TypeReference.makeTypeReference(solidityType);
  }

  private static String resource(String suffix) {
    try (InputStream in = AnchorAbi.class.getResourceAsStream(RESOURCE_PREFIX + suffix)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE_PREFIX + suffix);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
