package org.chartproof.ledger.anchor;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The anchor contract reverted the call: a definite answer, so retrying the same call will not
 * help. {@link #errorName()} is the contract's custom error ({@code NotSubmitter}, {@code
 * NotAdmin}, {@code ZeroAddress}, {@code TreeSizeNotIncreasing}, {@code IndexOutOfRange}, {@code
 * NoAnchors}), {@code Error} or {@code Panic} for Solidity's built-in ones, or {@code unknown} when
 * the node gave no revert data.
 */
public final class AnchorRejectedException extends AnchorException {

  private static final long serialVersionUID = 1L;

  private final String errorName;
  private final List<Object> arguments;

  AnchorRejectedException(String what, String errorName, List<Object> arguments) {
    super(
        what
            + " rejected by the anchor contract: "
            + errorName
            + arguments.stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")")));
    this.errorName = Objects.requireNonNull(errorName);
    this.arguments = List.copyOf(arguments);
  }

  /** Returns the revert's error name, such as {@code TreeSizeNotIncreasing}. */
  public String errorName() {
    return errorName;
  }

  /**
   * Returns the error's arguments in declaration order: {@link java.math.BigInteger} for integers,
   * {@code String} for anything else. {@code TreeSizeNotIncreasing} carries {@code (latest,
   * given)}.
   */
  public List<Object> arguments() {
    return arguments;
  }
}
