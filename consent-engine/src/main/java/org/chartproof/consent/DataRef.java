package org.chartproof.consent;

/**
 * One Consent.provision.data entry: a resource and how to read it (R4 ConsentDataMeaning).
 *
 * <ul>
 *   <li>instance: that resource (and only that version, if the reference names one);
 *   <li>related: that resource and the resources it refers to (the adapter reports them as the
 *       accessed resource's {@code referencedBy});
 *   <li>dependents: that resource and the resources that refer to it (the accessed resource's
 *       {@code references});
 *   <li>authoredby: resources authored by it (the accessed resource's {@code authors}); when the
 *       authors are unknown, a deny provision matches and a permit does not.
 * </ul>
 *
 * @param meaning how the reference is interpreted
 * @param reference {@code Type/id}
 * @param version the version the reference names, or {@code null}
 */
record DataRef(Meaning meaning, String reference, String version) {

  enum Meaning {
    INSTANCE,
    RELATED,
    DEPENDENTS,
    AUTHOREDBY
  }

  boolean matches(ResourceFacts resource, Verdict type) {
    boolean instance =
        reference.equals(resource.reference())
            && (version == null || version.equals(resource.versionId()));
    return switch (meaning) {
      case INSTANCE -> instance;
      case RELATED -> instance || resource.referencedBy().contains(reference);
      case DEPENDENTS -> instance || resource.references().contains(reference);
      case AUTHOREDBY ->
          resource.authors().isEmpty()
              ? type == Verdict.DENY
              : resource.authors().contains(reference);
    };
  }
}
