package org.chartproof.server.encryption;

/**
 * The data key was destroyed (crypto-shredded, {@link
 * org.chartproof.server.erasure.PatientKeyShredder}): what it encrypted can never be read again.
 */
public class DataKeyDestroyedException extends KeyUnavailableException {

  public DataKeyDestroyedException(String message) {
    super(message);
  }
}
