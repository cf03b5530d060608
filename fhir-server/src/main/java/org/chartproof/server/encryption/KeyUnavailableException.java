package org.chartproof.server.encryption;

/**
 * A key needed to decrypt or unwrap is missing, retired, destroyed, or does not authenticate the
 * data. The message names the key (version or id), never key material.
 */
public class KeyUnavailableException extends RuntimeException {

  public KeyUnavailableException(String message) {
    super(message);
  }

  public KeyUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
