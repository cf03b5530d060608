package org.chartproof.ledger.anchor;

/**
 * Anchoring or reading anchors failed. Checked on purpose: a chain is a remote system, and every
 * caller must decide what to do when it fails. Subclasses say whether retrying can help; this base
 * class itself is used for refusals by the node that are neither (an unfunded account, a bad nonce
 * that did not heal, a malformed answer).
 */
public class AnchorException extends Exception {

  private static final long serialVersionUID = 1L;

  AnchorException(String message) {
    super(message);
  }

  AnchorException(String message, Throwable cause) {
    super(message, cause);
  }
}
