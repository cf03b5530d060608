package org.chartproof.ledger.entry;

/**
 * JSON string lexing (RFC 8259 §7) and the JCS string serialization (RFC 8785 §3.2.2.2, which is
 * ECMAScript's {@code JSON.stringify} for well-formed strings).
 */
final class JsonStrings {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** A decoded string and the offset just past its closing quote. */
  record Decoded(String value, int end) {}

  private JsonStrings() {}

  /**
   * Decodes the string literal whose opening quote is at {@code start}: escapes resolved, unescaped
   * control characters rejected. Surrogate pairing is checked by the caller on the result, so that
   * escaped and literal halves are treated alike.
   */
  static Decoded decode(String text, int start) throws InvalidJsonException {
    StringBuilder value = new StringBuilder();
    int pos = start + 1;
    while (true) {
      if (pos >= text.length()) {
        throw new InvalidJsonException(start, "unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return new Decoded(value.toString(), pos);
      }
      if (c < 0x20) {
        throw new InvalidJsonException(pos - 1, "unescaped control character in string");
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw new InvalidJsonException(start, "unterminated string");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> value.append(e);
        case 'b' -> value.append('\b');
        case 'f' -> value.append('\f');
        case 'n' -> value.append('\n');
        case 'r' -> value.append('\r');
        case 't' -> value.append('\t');
        case 'u' -> {
          value.append(hex4(text, pos));
          pos += 4;
        }
        default -> throw new InvalidJsonException(pos - 2, "invalid escape in string");
      }
    }
  }

  private static char hex4(String text, int pos) throws InvalidJsonException {
    if (pos + 4 > text.length()) {
      throw new InvalidJsonException(pos - 2, "\\u escape needs four hex digits");
    }
    int code = 0;
    for (int i = pos; i < pos + 4; i++) {
      char c = text.charAt(i);
      // Not Character.digit: it accepts non-ASCII digits such as fullwidth ones.
      int digit =
          c >= '0' && c <= '9'
              ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) {
        throw new InvalidJsonException(pos - 2, "\\u escape needs four hex digits");
      }
      code = code << 4 | digit;
    }
    return (char) code;
  }

  /**
   * Appends {@code s} as a JCS string literal: {@code "} and {@code \} backslash-escaped, the five
   * controls with short escapes as such, other controls below U+0020 as {@code \}{@code u00xx} in
   * lowercase hex, everything else (including U+007F, U+2028 and {@code /}) as itself.
   */
  static void escape(String s, StringBuilder out) {
    out.append('"');
    int plain = 0; // most strings need no escape: they are appended whole
    while (plain < s.length() && needsNoEscape(s.charAt(plain))) {
      plain++;
    }
    out.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean needsNoEscape(char c) {
    return c >= 0x20 && c != '"' && c != '\\';
  }

  /**
   * Returns the index of the first surrogate in {@code s} that is not half of a high-low pair, or
   * -1 if there is none. Such a string has no UTF-8 encoding and is not I-JSON.
   */
  static int loneSurrogateIndex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
