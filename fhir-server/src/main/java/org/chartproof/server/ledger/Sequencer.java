package org.chartproof.server.ledger;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.chartproof.ledger.merkle.CompactRange;
import org.chartproof.ledger.merkle.MerkleHash;
import org.chartproof.ledger.note.ChainLink;
import org.chartproof.ledger.note.Checkpoint;
import org.chartproof.ledger.note.NoteSigner;
import org.chartproof.server.ledger.LedgerStore.PendingEntry;
import org.chartproof.server.ledger.LedgerStore.StoredCheckpoint;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Integrates committed ledger entries into the Merkle tree and signs a checkpoint over the new
 * tree, all in one database transaction: a crash leaves either the whole integration or none of it,
 * and a restart continues from the latest checkpoint.
 *
 * <p>Checkpoints are C2SP tlog-checkpoint notes whose extension lines ({@link ChainLink}) chain
 * them by height, time and the hash of the previous signed note (docs/ledger.md).
 */
final class Sequencer {

  private final LedgerStore store;
  private final TransactionTemplate transaction;
  private final SequencerLock lock;
  private final NoteSigner signer;
  private final String origin;
  private final int batchSize;
  private final Clock clock;

  Sequencer(
      LedgerStore store,
      TransactionTemplate transaction,
      SequencerLock lock,
      NoteSigner signer,
      String origin,
      int batchSize,
      Clock clock) {
    this.store = store;
    this.transaction = transaction;
    this.lock = lock;
    this.signer = signer;
    this.origin = origin;
    this.batchSize = batchSize;
    this.clock = clock;
  }

  /** Signs the checkpoint of the empty tree (height 0) unless the log already has one. */
  void ensureGenesis() {
    transaction.executeWithoutResult(
        status -> {
          if (lock.tryAcquire() && store.latestCheckpoint().isEmpty()) {
            store.insertCheckpoint(sign(0, CompactRange.empty(), null));
          }
        });
  }

  /**
   * Integrates up to the batch size of pending entries.
   *
   * @return the new checkpoint, or empty when nothing was pending or another server instance holds
   *     the sequencer lock
   */
  Optional<StoredCheckpoint> integrate() {
    return transaction.execute(
        status -> {
          if (!lock.tryAcquire()) {
            return Optional.empty();
          }
          List<PendingEntry> pending = store.pending(batchSize);
          if (pending.isEmpty()) {
            return Optional.empty();
          }
          StoredCheckpoint latest =
              store
                  .latestCheckpoint()
                  .orElseThrow(() -> new IllegalStateException("ledger has no genesis checkpoint"));
          CompactRange.Appended appended =
              CompactRange.load(latest.treeSize(), store)
                  .append(pending.stream().map(e -> MerkleHash.leafHash(e.entry())).toList());
          store.insertNodes(appended.newNodes());
          store.moveToLedger(pending, latest.treeSize());
          StoredCheckpoint next = sign(latest.height() + 1, appended.range(), latest.note());
          store.insertCheckpoint(next);
          return Optional.of(next);
        });
  }

  /** Integrates batch after batch until nothing is pending, without waiting between batches. */
  void integrateBacklog() {
    while (integrate().isPresent() && !Thread.currentThread().isInterrupted()) {
      // each call integrates up to one batch and signs its checkpoint
    }
  }

  private StoredCheckpoint sign(long height, CompactRange tree, byte[] previousNote) {
    ChainLink link =
        previousNote == null
            ? ChainLink.genesis(clock.millis())
            : ChainLink.after(height, clock.millis(), previousNote);
    Checkpoint checkpoint = new Checkpoint(origin, tree.size(), tree.root(), link.toExtensions());
    return new StoredCheckpoint(height, tree.size(), signer.sign(checkpoint.toNoteBody()));
  }
}
