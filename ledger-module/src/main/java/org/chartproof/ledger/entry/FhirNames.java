package org.chartproof.ledger.entry;

import java.util.regex.Pattern;

/** The lexical rules of FHIR R4 names that entries and pseudonyms accept. */
final class FhirNames {

  /**
   * A resource type name: an upper-case ASCII letter and 1 to 63 more letters. Wider than the R4
   * list on purpose, so custom and future types pass; narrow enough for a line-based format.
   */
  static final Pattern RESOURCE_TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");

  /**
   * A logical id, the FHIR R4 {@code id} datatype.
   *
   * @see <a href="https://hl7.org/fhir/R4/datatypes.html#id">FHIR R4 id</a>
   */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  private FhirNames() {}

  static String requireResourceType(String resourceType) {
    if (!RESOURCE_TYPE.matcher(resourceType).matches()) {
      throw new IllegalArgumentException("resource type must match " + RESOURCE_TYPE);
    }
    return resourceType;
  }
}
