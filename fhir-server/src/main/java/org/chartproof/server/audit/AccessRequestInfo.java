package org.chartproof.server.audit;

import java.util.Set;
import org.chartproof.server.auth.AccessIdentity;

/**
 * Who asked, why, and how: what every AuditEvent of one request shares.
 *
 * @param identity the access token's identity
 * @param purposes the purposes of use the decisions were made for (codes of v3 ActReason)
 * @param breakGlassJustification the justification given for break-glass, or null
 * @param interaction the FHIR REST interaction ({@code read}, {@code search-type}, ...)
 */
public record AccessRequestInfo(
    AccessIdentity identity,
    Set<String> purposes,
    String breakGlassJustification,
    String interaction) {

  public AccessRequestInfo {
    purposes = Set.copyOf(purposes);
  }
}
