package org.chartproof.server.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.NotImplementedOperationException;
import java.util.Set;

/**
 * Refuses {@code $meta-add} and {@code $meta-delete}. Tags, profiles and security labels are stored
 * inside each version (ADR 0004), so a version's content never changes after its write; HAPI's meta
 * operations would change tags beside a version without a new one, and in this storage mode they
 * would not even show. Clients change tags with an update, which makes a new version with its own
 * ledger entry.
 */
@Interceptor
final class VersionedMetaOnly {

  private static final Set<String> REFUSED = Set.of("$meta-add", "$meta-delete");

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
  public boolean refuseMetaChanges(RequestDetails request) {
    if (request.getOperation() != null && REFUSED.contains(request.getOperation())) {
      throw new NotImplementedOperationException(
          request.getOperation()
              + " is not supported: tags, profiles and security labels belong to each version;"
              + " change them with an update");
    }
    return true; // continue processing
  }
}
