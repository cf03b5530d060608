package org.chartproof.ledger.entry;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte string every conforming implementation
 * produces from a JSON text, so a client can recompute a {@link Commitment} from the resource it
 * reads.
 *
 * <p>The input must be strict RFC 8259 JSON that is also I-JSON (RFC 7493): no duplicate member
 * names, no lone surrogates (escaped or not), no numbers beyond the IEEE 754 double range, nothing
 * after the value but whitespace, no byte order mark. The output is UTF-8 without insignificant
 * whitespace, with members sorted by the UTF-16 code units of their names, strings escaped as
 * ECMAScript's {@code JSON.stringify} does, and numbers in ECMAScript form ({@link EcmaNumber}).
 *
 * <p>JCS models numbers as doubles, so it does not preserve decimal spelling: a FHIR {@code
 * decimal} served as {@code 13.20} canonicalizes to {@code 13.2}, {@code 1E2} to {@code 100}, and
 * integers beyond 2^53 lose precision. The commitment therefore binds the numeric value, not its
 * precision; this is what RFC 8785 prescribes, and clients recompute it the same way.
 *
 * <p>Exception messages give the offset and the rule broken, never the input text, which may be
 * personal health data. Nesting deeper than {@value #MAX_DEPTH} is rejected rather than risking a
 * stack overflow. Thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8785">RFC 8785</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7493">RFC 7493 (I-JSON)</a>
 */
public final class JsonCanonicalizer {

  /** Deepest accepted nesting of arrays and objects. */
  public static final int MAX_DEPTH = 512;

  private final String text;
  private int pos;
  private int depth;

  private JsonCanonicalizer(String text) {
    this.text = text;
  }

  /**
   * Returns the RFC 8785 canonical form of the JSON text {@code json}, UTF-8 encoded.
   *
   * @throws InvalidJsonException if {@code json} is not strict I-JSON as described above
   */
  public static byte[] canonicalize(String json) throws InvalidJsonException {
    int lone = JsonStrings.loneSurrogateIndex(json);
    if (lone >= 0) {
      throw new InvalidJsonException(lone, "lone surrogate");
    }
    JsonCanonicalizer parser = new JsonCanonicalizer(json);
    parser.skipWhitespace();
    Node root = parser.value();
    parser.skipWhitespace();
    if (parser.pos != json.length()) {
      throw parser.error("trailing characters after the JSON value");
    }
    StringBuilder out = new StringBuilder(json.length());
    root.emit(out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Returns the canonical form of a UTF-8 encoded JSON text.
   *
   * @throws InvalidJsonException if {@code utf8Json} is not well-formed UTF-8 or not strict I-JSON
   */
  public static byte[] canonicalize(byte[] utf8Json) throws InvalidJsonException {
    try {
      String json =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8Json))
              .toString();
      return canonicalize(json);
    } catch (CharacterCodingException e) {
      throw new InvalidJsonException(-1, "not well-formed UTF-8");
    }
  }

  /**
   * Parsed JSON, held until the whole text is known to be valid and then written out once: scalars
   * already in canonical form, members already sorted. Writing nested objects out as they close
   * would copy a value once per enclosing object.
   */
  private interface Node {
    void emit(StringBuilder out);
  }

  private record Scalar(String canonical) implements Node {
    @Override
    public void emit(StringBuilder out) {
      out.append(canonical);
    }
  }

  private record Array(List<Node> items) implements Node {
    @Override
    public void emit(StringBuilder out) {
      out.append('[');
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        items.get(i).emit(out);
      }
      out.append(']');
    }
  }

  // A TreeMap over String keys orders members by UTF-16 code units (String.compareTo), exactly the
  // order RFC 8785 §3.2.3 requires.
  private record Members(TreeMap<String, Node> members) implements Node {
    @Override
    public void emit(StringBuilder out) {
      out.append('{');
      String separator = "";
      for (Map.Entry<String, Node> member : members.entrySet()) {
        out.append(separator);
        JsonStrings.escape(member.getKey(), out);
        out.append(':');
        member.getValue().emit(out);
        separator = ",";
      }
      out.append('}');
    }
  }

  private Node value() throws InvalidJsonException {
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        StringBuilder escaped = new StringBuilder();
        JsonStrings.escape(string(), escaped);
        return new Scalar(escaped.toString());
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character, expected a value");
    }
  }

  private Node object() throws InvalidJsonException {
    enter();
    TreeMap<String, Node> members = new TreeMap<>();
    skipWhitespace();
    if (!consume('}')) {
      do {
        skipWhitespace();
        int nameAt = pos;
        if (!peek('"')) {
          throw error("expected a member name");
        }
        String name = string();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        if (members.put(name, value()) != null) {
          throw new InvalidJsonException(nameAt, "duplicate member name");
        }
        skipWhitespace();
      } while (consume(','));
      expect('}');
    }
    depth--;
    return new Members(members);
  }

  private Node array() throws InvalidJsonException {
    enter();
    List<Node> items = new ArrayList<>();
    skipWhitespace();
    if (!consume(']')) {
      do {
        skipWhitespace();
        items.add(value());
        skipWhitespace();
      } while (consume(','));
      expect(']');
    }
    depth--;
    return new Array(items);
  }

  private void enter() throws InvalidJsonException {
    if (++depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
    pos++;
  }

  private String string() throws InvalidJsonException {
    int start = pos;
    JsonStrings.Decoded decoded = JsonStrings.decode(text, pos);
    pos = decoded.end();
    int lone = JsonStrings.loneSurrogateIndex(decoded.value());
    if (lone >= 0) {
      throw new InvalidJsonException(start, "string contains a lone surrogate");
    }
    return decoded.value();
  }

  private Node number() throws InvalidJsonException {
    int start = pos;
    consume('-');
    if (!consume('0')) {
      requireDigits("integer part");
    }
    if (consume('.')) {
      requireDigits("fraction");
    }
    if (consume('e') || consume('E')) {
      if (!consume('+')) {
        consume('-');
      }
      requireDigits("exponent");
    }
    double value = Double.parseDouble(text.substring(start, pos));
    if (Double.isInfinite(value)) {
      throw new InvalidJsonException(start, "number outside the IEEE 754 double range");
    }
    return new Scalar(EcmaNumber.format(value));
  }

  private void requireDigits(String what) throws InvalidJsonException {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == start) {
      throw error("number needs digits in its " + what);
    }
  }

  private Node literal(String word) throws InvalidJsonException {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected character, expected a value");
    }
    pos += word.length();
    return new Scalar(word);
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private boolean consume(char c) {
    if (peek(c)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) throws InvalidJsonException {
    if (!consume(c)) {
      throw error("expected '" + c + "'");
    }
  }

  private InvalidJsonException error(String reason) {
    return new InvalidJsonException(pos, reason);
  }
}
