package org.chartproof.server.consent;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DomainResource;

/**
 * The contained resources of what a request shows, by object identity. HAPI's consent interceptor
 * asks about every resource nested in a response, contained ones too, and a contained resource
 * cannot be told from a stored one by itself (HAPI parses {@code "id":"hb"} as a plain id, not a
 * local {@code #hb}). A contained resource is part of its container and decided with it (and
 * redacted with it, {@link Redactor}); decided on its own it would name no patient and be refused,
 * and HAPI cannot remove it while it walks the container.
 */
final class ContainedResources {

  private static final String KEY = ContainedResources.class.getName();

  private ContainedResources() {}

  /** Remembers the contained resources of {@code shown}, a resource the request shows. */
  static void remember(RequestDetails request, IBaseResource shown) {
    if (shown instanceof DomainResource domain && domain.hasContained()) {
      of(request).addAll(domain.getContained());
    }
  }

  /** Whether {@code resource} is contained in a resource the request shows. */
  static boolean isContained(RequestDetails request, IBaseResource resource) {
    @SuppressWarnings("unchecked")
    Set<IBaseResource> contained = (Set<IBaseResource>) request.getUserData().get(KEY);
    return contained != null && contained.contains(resource);
  }

  @SuppressWarnings("unchecked")
  private static Set<IBaseResource> of(RequestDetails request) {
    return (Set<IBaseResource>)
        request
            .getUserData()
            .computeIfAbsent(
                KEY,
                k ->
                    Collections.synchronizedSet(
                        Collections.newSetFromMap(new IdentityHashMap<>())));
  }
}
