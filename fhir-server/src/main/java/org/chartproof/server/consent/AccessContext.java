package org.chartproof.server.consent;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.chartproof.consent.Decision;
import org.chartproof.consent.Requester;
import org.chartproof.server.auth.AccessIdentity;

/**
 * What one request's consent decisions share: who asks, for which purposes, the consent epoch read
 * for it, and the decisions made so far. Kept in the request's user data, which HAPI shares with
 * the sub-requests of a transaction bundle and hands to the search threads, where Spring Security's
 * thread-bound identity is not available.
 */
final class AccessContext {

  private static final String KEY = AccessContext.class.getName();

  final AccessIdentity identity;
  final Requester requester;
  final Set<String> purposes;
  final String breakGlassJustification;
  final long epoch;
  private final Map<String, Decision> decisions = new HashMap<>();

  AccessContext(
      AccessIdentity identity,
      Requester requester,
      Set<String> purposes,
      String breakGlassJustification,
      long epoch) {
    this.identity = identity;
    this.requester = requester;
    this.purposes = Set.copyOf(purposes);
    this.breakGlassJustification = breakGlassJustification;
    this.epoch = epoch;
  }

  void attachTo(RequestDetails request) {
    request.getUserData().put(KEY, this);
  }

  /** The context {@link #attachTo} left on the request, or null. */
  static AccessContext of(RequestDetails request) {
    return request == null ? null : (AccessContext) request.getUserData().get(KEY);
  }

  /** The decision already made in this request for a resource version, or null. */
  synchronized Decision decided(String versionedReference) {
    return decisions.get(versionedReference);
  }

  synchronized void remember(String versionedReference, Decision decision) {
    decisions.put(versionedReference, decision);
  }

  /** Every decision of this request, by resource version (for the access audit, #7). */
  synchronized Map<String, Decision> decisions() {
    return Map.copyOf(decisions);
  }
}
