package org.chartproof.server.consent;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chartproof.consent.Decision;
import org.chartproof.consent.Requester;
import org.chartproof.server.audit.AccessDecision;
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
  private List<AccessDecision> unaudited = new ArrayList<>();

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

  /**
   * Remembers a decision for the rest of the request and for the access log.
   *
   * @param patients the patients whose Consents decided ({@code Patient/1}); empty for data of no
   *     patient
   * @param consents the Consent versions the engine was given, for the access log
   */
  synchronized void remember(
      String versionedReference, Decision decision, Set<String> patients, List<String> consents) {
    decisions.put(versionedReference, decision);
    unaudited.add(new AccessDecision(versionedReference, patients, consents, decision));
  }

  /** The decisions made since the last call, oldest first, for the access log. */
  synchronized List<AccessDecision> takeUnaudited() {
    List<AccessDecision> taken = unaudited;
    unaudited = new ArrayList<>();
    return taken;
  }
}
