/**
 * Anchors of the ledger's signed checkpoints on an EVM chain, through the {@code ChartproofAnchor}
 * contract (source in the repository's {@code chain/contracts}, ABI and bytecode committed next to
 * this package's classes as resources). Start reading at {@link
 * org.chartproof.ledger.anchor.Anchor}; {@link org.chartproof.ledger.anchor.EvmAnchor} talks
 * JSON-RPC over HTTP to any EVM node (the target is a Hyperledger Besu QBFT network, tests use a
 * local Hardhat node).
 *
 * <p>Only a checkpoint's tree size, root hash and the SHA-256 of the signed checkpoint note go on
 * chain. The contract keeps anchors append-only and strictly increasing in tree size, and accepts
 * them only from submitter accounts its admin authorized (one per institution).
 *
 * <p>Failures come as one checked family: {@link org.chartproof.ledger.anchor.AnchorException},
 * with {@link org.chartproof.ledger.anchor.AnchorRejectedException} when the contract reverted (a
 * definite answer: retrying the same call will not help) and {@link
 * org.chartproof.ledger.anchor.ChainUnavailableException} when the node could not be reached or did
 * not mine in time (retry later).
 */
package org.chartproof.ledger.anchor;
