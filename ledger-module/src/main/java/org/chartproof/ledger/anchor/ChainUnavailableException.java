package org.chartproof.ledger.anchor;

/**
 * The chain could not be reached or did not answer in time, after the configured retries with
 * backoff: connection refused, I/O error, HTTP error, timeout, or a transaction not mined within
 * the receipt timeout. Nothing definite is known about the call's effect: retry later, after
 * re-reading the chain.
 */
public final class ChainUnavailableException extends AnchorException {

  private static final long serialVersionUID = 1L;

  ChainUnavailableException(String message) {
    super(message);
  }

  ChainUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
