package org.chartproof.server.audit;

/** An access could not be recorded; the request it belongs to must not be answered with data. */
public class AccessLogException extends RuntimeException {

  AccessLogException(String message) {
    super(message);
  }

  AccessLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
