package org.chartproof.server.encryption;

/**
 * A stored resource body failed its integrity check: its ciphertext was changed, it belongs to
 * another resource version, or it is missing. The message names the resource version, never its
 * content.
 */
public class BodyUnreadableException extends RuntimeException {

  public BodyUnreadableException(String message) {
    super(message);
  }
}
