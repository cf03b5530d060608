package org.chartproof.server.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.chartproof.server.ledger.ProofReadCheck;
import org.hl7.fhir.instance.model.api.IIdType;

/** {@code AuditEvent/[id]/$ledger-proof}: for whoever may read the event. */
final class AuditEventProofCheck implements ProofReadCheck {

  private final AuditEventProvider events;

  AuditEventProofCheck(AuditEventProvider events) {
    this.events = events;
  }

  @Override
  public String resourceType() {
    return "AuditEvent";
  }

  @Override
  public void check(IIdType version, RequestDetails request) {
    events.read(version);
  }
}
