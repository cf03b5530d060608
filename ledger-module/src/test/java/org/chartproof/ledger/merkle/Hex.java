package org.chartproof.ledger.merkle;

import java.util.HexFormat;
import java.util.List;

/** Hex rendering so assertions compare hashes by value and print readably. */
final class Hex {

  private Hex() {}

  static String of(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static List<String> of(List<byte[]> hashes) {
    return hashes.stream().map(Hex::of).toList();
  }

  static byte[] parse(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
