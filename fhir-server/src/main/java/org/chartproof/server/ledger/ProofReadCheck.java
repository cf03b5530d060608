package org.chartproof.server.ledger;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Whether the requester of a {@code $ledger-proof} may read the version it asks about: a proof
 * carries the version's salt, which opens its commitment, so it is shown only to those who may read
 * the version itself. Resources in HAPI's tables are checked by reading them through HAPI with the
 * request's identity (authorization and consent interceptors apply); a type the server keeps
 * elsewhere registers its own check as a bean.
 */
public interface ProofReadCheck {

  /** The resource type this check decides for. */
  String resourceType();

  /**
   * Returns if the request may read {@code version}; otherwise throws the exception a read would
   * (404 when hidden, 403 when forbidden).
   */
  void check(IIdType version, RequestDetails request);
}
