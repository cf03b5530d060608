package org.chartproof.server.encryption;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;

/**
 * Answers a read that cannot decrypt with an OperationOutcome that says why, naming the version but
 * no content (HAPI wraps failures of batch loads in a generic message; the cause is found here):
 *
 * <ul>
 *   <li>the data key was destroyed (the patient was erased): 410 Gone;
 *   <li>the stored content failed authentication, is missing, or its key cannot be unwrapped (a
 *       wrong or missing key-encryption key): 500, as for any corrupt storage.
 * </ul>
 */
@Interceptor
final class EncryptionErrors {

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException toOutcome(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof DataKeyDestroyedException) {
        return withCause(new ResourceGoneException(t.getMessage()), exception);
      }
      if (t instanceof BodyUnreadableException || t instanceof KeyUnavailableException) {
        return withCause(new InternalErrorException(t.getMessage()), exception);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null; // not ours
  }

  private static BaseServerResponseException withCause(
      BaseServerResponseException answer, Throwable cause) {
    answer.initCause(cause);
    return answer;
  }
}
