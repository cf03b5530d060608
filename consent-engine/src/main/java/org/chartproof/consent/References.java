package org.chartproof.consent;

/**
 * Normalises FHIR references to the relative form {@code Type/id}: {@code
 * http://host/fhir/Practitioner/1} and {@code Practitioner/1/_history/2} both become {@code
 * Practitioner/1}. References are compared by this form only; display, identifier and logical
 * references are not resolved.
 */
final class References {

  private References() {}

  /**
   * Returns {@code Type/id} for an absolute or relative literal reference, with any {@code
   * /_history/version} removed, or {@code null} if the value has no {@code Type/id} shape (e.g. a
   * {@code #contained} or {@code urn:uuid:} reference).
   */
  static String normalise(String reference) {
    if (reference == null) {
      return null;
    }
    String ref = stripHistory(reference.trim());
    int slash = ref.lastIndexOf('/');
    if (slash <= 0 || slash == ref.length() - 1) {
      return null;
    }
    int typeStart = ref.lastIndexOf('/', slash - 1) + 1;
    String type = ref.substring(typeStart, slash);
    if (type.isEmpty() || !Character.isUpperCase(type.charAt(0))) {
      return null;
    }
    return type + ref.substring(slash);
  }

  /** The version of a {@code .../_history/version} reference, or {@code null}. */
  static String version(String reference) {
    if (reference == null) {
      return null;
    }
    int at = reference.indexOf("/_history/");
    return at < 0 ? null : reference.substring(at + "/_history/".length());
  }

  /** Normalises a reference that must be one; throws {@link IllegalArgumentException} if not. */
  static String require(String reference, String what) {
    String normal = normalise(reference);
    if (normal == null) {
      throw new IllegalArgumentException(what + " must be a Type/id reference");
    }
    return normal;
  }

  private static String stripHistory(String ref) {
    int at = ref.indexOf("/_history/");
    return at < 0 ? ref : ref.substring(0, at);
  }
}
