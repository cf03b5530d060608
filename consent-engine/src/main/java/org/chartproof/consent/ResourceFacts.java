package org.chartproof.consent;

import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the rules need to know about the resource being accessed; the server adapter fills it from
 * the HAPI resource.
 *
 * @param type the resource type, e.g. {@code Observation}
 * @param id the logical id
 * @param versionId the version id, or {@code null}
 * @param securityLabels meta.security
 * @param codes the resource's codes (e.g. Observation.code, DocumentReference.type codings)
 * @param classes further classes besides the resource type, which always counts: profile
 *     canonicals, document mime types (e.g. {@code urn:ietf:bcp:13|application/hl7-cda+xml})
 * @param dataDate the clinically relevant date (e.g. Observation.effective), for dataPeriod; {@code
 *     null} if unknown
 * @param authors who authored, performed or holds the resource (author, performer, custodian), for
 *     data meaning authoredby and actors with role AUT, CST or INF; empty if unknown
 * @param references the resources this resource refers to, for data meaning dependents
 * @param referencedBy resources the server knows to refer to this resource, for data meaning
 *     related (a related Consent.provision.data reference covers what it refers to)
 */
public record ResourceFacts(
    String type,
    String id,
    String versionId,
    Set<Code> securityLabels,
    Set<Code> codes,
    Set<Code> classes,
    Instant dataDate,
    Set<String> authors,
    Set<String> references,
    Set<String> referencedBy) {

  /** Validates and copies; references are normalised to {@code Type/id}. */
  public ResourceFacts {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    if (type.isBlank() || !Character.isUpperCase(type.charAt(0)) || id.isBlank()) {
      throw new IllegalArgumentException("a resource needs a type and an id");
    }
    securityLabels = Set.copyOf(securityLabels);
    codes = Set.copyOf(codes);
    classes = Set.copyOf(classes);
    authors = normalised(authors, "authors");
    references = normalised(references, "references");
    referencedBy = normalised(referencedBy, "referencedBy");
  }

  /**
   * Facts that say only which resource it is: enough for a patient without Consents, whose decision
   * never looks further ({@link ConsentEngine}).
   */
  public static ResourceFacts identity(String type, String id, String versionId) {
    return new ResourceFacts(
        type, id, versionId, Set.of(), Set.of(), Set.of(), null, Set.of(), Set.of(), Set.of());
  }

  /** {@code Type/id} of this resource. */
  public String reference() {
    return type + "/" + id;
  }

  private static Set<String> normalised(Set<String> refs, String what) {
    Set<String> out = new HashSet<>();
    for (String ref : refs) {
      out.add(References.require(ref, what));
    }
    return Set.copyOf(out);
  }
}
