package org.chartproof.ledger.anchor;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The mined transaction that anchored a checkpoint.
 *
 * @param transactionHash the transaction hash, {@code 0x} and 64 hex digits
 * @param blockNumber the block that holds it
 * @param index the new anchor's index in the contract
 * @param gasUsed gas the transaction used
 */
public record AnchorReceipt(
    String transactionHash, long blockNumber, long index, BigInteger gasUsed) {

  public AnchorReceipt {
    Objects.requireNonNull(transactionHash, "transactionHash");
    Objects.requireNonNull(gasUsed, "gasUsed");
  }
}
