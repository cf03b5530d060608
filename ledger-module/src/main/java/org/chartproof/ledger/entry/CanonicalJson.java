package org.chartproof.ledger.entry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes JSON directly in RFC 8785 canonical form, for content the server composes itself (the
 * access log's AuditEvents): building it this way costs a fraction of rendering it with a FHIR
 * parser and then canonicalizing the text with {@link JsonCanonicalizer}, and the result is
 * byte-for-byte what {@link JsonCanonicalizer} would make of it.
 *
 * <p>Values are strings, booleans, whole numbers within ±2^53 (which JCS writes as plain digits),
 * objects and arrays. Null and empty strings, empty objects and empty arrays are left out, as FHIR
 * JSON leaves out empty elements. Not thread-safe; build one object per thread.
 */
public final class CanonicalJson {

  private static final long MAX_EXACT = 1L << 53;

  private CanonicalJson() {}

  /** A new, empty object. */
  public static Obj object() {
    return new Obj();
  }

  /**
   * An object rendered once ({@link Obj#fix}) and then placed as a member or array element of many
   * objects, for parts that are the same every time: immutable, shareable between threads.
   */
  public static final class Fixed {
    private final String json;

    private Fixed(String json) {
      this.json = json;
    }

    /** The canonical text. */
    public String toJson() {
      return json;
    }
  }

  /** A JSON object whose members are emitted sorted by the UTF-16 code units of their names. */
  public static final class Obj {
    // a TreeMap over String keys orders members by UTF-16 code units, as RFC 8785 §3.2.3 requires
    private final TreeMap<String, Object> members = new TreeMap<>();

    private Obj() {}

    /** Sets a string member; null or empty leaves it out. */
    public Obj put(String name, String value) {
      if (value != null && !value.isEmpty()) {
        int lone = JsonStrings.loneSurrogateIndex(value);
        if (lone >= 0) {
          throw new IllegalArgumentException(
              "member " + name + " has a lone surrogate at " + lone + ": not I-JSON");
        }
        members.put(name, value);
      }
      return this;
    }

    /** Sets a boolean member. */
    public Obj put(String name, boolean value) {
      members.put(name, value);
      return this;
    }

    /**
     * Sets a whole-number member.
     *
     * @throws IllegalArgumentException beyond ±2^53, where JSON numbers stop being exact
     */
    public Obj put(String name, long value) {
      if (value > MAX_EXACT || value < -MAX_EXACT) { // not Math.abs: it overflows at MIN_VALUE
        throw new IllegalArgumentException("member " + name + " is beyond 2^53");
      }
      members.put(name, value);
      return this;
    }

    /** Sets an object member; an empty object leaves it out. */
    public Obj put(String name, Obj value) {
      if (!value.members.isEmpty()) {
        members.put(name, value);
      }
      return this;
    }

    /** Sets an object member rendered beforehand. */
    public Obj put(String name, Fixed value) {
      members.put(name, value);
      return this;
    }

    /** Appends {@code value} to the array member {@code name}, created on first use. */
    public Obj add(String name, Obj value) {
      if (!value.members.isEmpty()) {
        array(name).add(value);
      }
      return this;
    }

    /** Appends an object rendered beforehand to the array member {@code name}. */
    public Obj add(String name, Fixed value) {
      array(name).add(value);
      return this;
    }

    /**
     * This object rendered now, to be placed in other objects as it is now.
     *
     * @throws IllegalStateException if it is empty (an empty object is left out, not placed)
     */
    public Fixed fix() {
      if (members.isEmpty()) {
        throw new IllegalStateException("an empty object is left out, not fixed");
      }
      return new Fixed(toJson());
    }

    /** Whether the object has no members. */
    public boolean isEmpty() {
      return members.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private List<Object> array(String name) {
      Object existing = members.get(name);
      if (existing instanceof List<?> list) {
        return (List<Object>) list;
      }
      if (existing != null) {
        throw new IllegalArgumentException("member " + name + " is not an array");
      }
      List<Object> created = new ArrayList<>();
      members.put(name, created);
      return created;
    }

    /** The canonical text. */
    public String toJson() {
      StringBuilder out = new StringBuilder(256);
      emit(out);
      return out.toString();
    }

    /** The canonical form, UTF-8 encoded: what {@link Commitment#commit} takes. */
    public byte[] toCanonicalBytes() {
      return toJson().getBytes(StandardCharsets.UTF_8);
    }

    private void emit(StringBuilder out) {
      out.append('{');
      String separator = "";
      for (Map.Entry<String, Object> member : members.entrySet()) {
        out.append(separator);
        JsonStrings.escape(member.getKey(), out);
        out.append(':');
        emitValue(member.getValue(), out);
        separator = ",";
      }
      out.append('}');
    }

    private static void emitValue(Object value, StringBuilder out) {
      if (value instanceof String text) {
        JsonStrings.escape(text, out);
      } else if (value instanceof Obj object) {
        object.emit(out);
      } else if (value instanceof Fixed fixed) {
        out.append(fixed.json);
      } else if (value instanceof List<?> items) {
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          emitValue(items.get(i), out);
        }
        out.append(']');
      } else {
        out.append(value); // Boolean or Long: their toString is the canonical form
      }
    }
  }
}
