package org.chartproof.server.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ParameterUtil;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Honours {@code If-Match} on DELETE, which HAPI ignores: the version is put on the id, so the
 * storage layer compares it with the current version inside the delete's own transaction (no race
 * between check and delete) and a stale version fails with 412 (see {@link FhirStatusCodes}).
 */
@Interceptor
final class IfMatchOnDelete {

  /** Runs before HAPI binds the request to its handler's parameters. */
  @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
  public boolean applyIfMatch(RequestDetails request) {
    String ifMatch = request.getHeader(Constants.HEADER_IF_MATCH);
    IIdType id = request.getId();
    if (request.getRequestType() == RequestTypeEnum.DELETE
        && ifMatch != null
        && !ifMatch.isBlank()
        && id != null
        && id.hasIdPart()
        && !id.hasVersionIdPart()) {
      request.setId(id.withVersion(ParameterUtil.parseETagValue(ifMatch)));
    }
    return true; // continue processing
  }
}
