package org.chartproof.server.auth;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import java.util.Optional;

/**
 * Narrows every search of a token with a patient in context to that patient's compartment (HAPI
 * adds the compartment's search parameter), so that a search finds only the patient's resources
 * instead of being refused for the others. Conditional URLs are narrowed too, so that {@code
 * If-None-Exist} cannot probe other patients' records.
 */
final class PatientSearchNarrowing extends SearchNarrowingInterceptor {

  PatientSearchNarrowing() {
    setNarrowConditionalUrls(true);
  }

  @Override
  protected AuthorizedList buildAuthorizedList(RequestDetails request) {
    Optional<AccessIdentity> identity = AccessIdentity.current();
    if (identity.isEmpty() || identity.get().patient() == null) {
      return null; // no narrowing
    }
    return new AuthorizedList().addCompartment("Patient/" + identity.get().patient());
  }
}
