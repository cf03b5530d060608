package org.chartproof.server.fhir;

import ca.uhn.fhir.i18n.Msg;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import java.util.function.BiFunction;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;

/**
 * Answers with the HTTP status the FHIR R4 specification (http.html) asks for where plain HAPI
 * answers differently. HAPI's message codes identify the cases; everything else keeps HAPI's
 * status.
 *
 * <ul>
 *   <li>The version a write names ({@code If-Match} or a versioned id) is not the current one: 412
 *       Precondition Failed (HAPI: 409). Other conflicts, such as two concurrent writers or a
 *       delete blocked by references, stay 409.
 *   <li>A body whose Content-Type is not a FHIR format: 415 Unsupported Media Type (HAPI: 400).
 *   <li>A reference to a resource that does not exist: a business rule, 422 Unprocessable Entity
 *       (HAPI: 400).
 * </ul>
 */
@Interceptor
final class FhirStatusCodes {

  private record Mapping(
      Class<? extends BaseServerResponseException> hapiType,
      List<String> codes,
      BiFunction<String, IBaseOperationOutcome, BaseServerResponseException> answer) {

    boolean matches(Throwable exception) {
      String message = exception.getMessage();
      return hapiType.isInstance(exception)
          && message != null
          && codes.stream().anyMatch(message::contains);
    }
  }

  private static final List<Mapping> MAPPINGS =
      List.of(
          new Mapping(
              ResourceVersionConflictException.class,
              List.of(Msg.code(989), Msg.code(974), Msg.code(961)), // update, patch, delete
              PreconditionFailedException::new),
          new Mapping(
              InvalidRequestException.class,
              List.of(Msg.code(449)),
              UnsupportedMediaTypeException::new),
          new Mapping(
              InvalidRequestException.class,
              List.of(Msg.code(1094)),
              UnprocessableEntityException::new));

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException toSpecStatus(Throwable exception) {
    for (Mapping mapping : MAPPINGS) {
      if (mapping.matches(exception)) {
        BaseServerResponseException hapi = (BaseServerResponseException) exception;
        BaseServerResponseException answer =
            mapping.answer().apply(hapi.getMessage(), hapi.getOperationOutcome());
        answer.initCause(hapi);
        return answer;
      }
    }
    return null; // keep HAPI's answer
  }

  /** 415: HAPI has no exception type for it. */
  static final class UnsupportedMediaTypeException extends BaseServerResponseException {
    private static final long serialVersionUID = 1L;

    UnsupportedMediaTypeException(String message, IBaseOperationOutcome outcome) {
      super(415, message, outcome);
    }
  }
}
