package org.chartproof.server.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import org.chartproof.ledger.anchor.Anchor;
import org.chartproof.ledger.anchor.AnchorException;
import org.chartproof.ledger.anchor.AnchorReceipt;
import org.chartproof.ledger.anchor.AnchorRejectedException;
import org.chartproof.ledger.anchor.AnchoredCheckpoint;
import org.chartproof.ledger.anchor.ChainUnavailableException;
import org.chartproof.ledger.note.ChainLink;
import org.chartproof.ledger.note.Checkpoint;
import org.chartproof.ledger.note.InvalidNoteException;
import org.chartproof.server.ledger.AnchorStatus.AnchorRecord;
import org.chartproof.server.ledger.LedgerStore.StoredCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anchors the newest signed checkpoint on the chain every interval when it grew past the chain's
 * latest anchor. State-based, so nothing is lost: while the chain is unreachable writes go on and
 * checkpoints pile up; the next successful round anchors the newest one, which covers them all. A
 * reorg or a dropped transaction shows as a chain whose latest anchor is behind this server's
 * record, and the next round anchors again.
 */
final class AnchorPublisher {

  private static final Logger log = LoggerFactory.getLogger(AnchorPublisher.class);

  private final Anchor anchor;
  private final LedgerStore store;
  private final String contract;
  private final Clock clock;
  private final byte[] logId;
  private volatile boolean logIdChecked;
  private volatile AnchorStatus status;

  /**
   * @param logId the log id the contract must have been deployed for (SHA-256 of the verifier key
   *     text); nothing is anchored on a contract of another log
   */
  AnchorPublisher(Anchor anchor, LedgerStore store, String contract, byte[] logId, Clock clock) {
    this.anchor = anchor;
    this.logId = logId.clone();
    this.store = store;
    this.contract = contract;
    this.clock = clock;
    this.status = new AnchorStatus(contract, false, null, 0, 0, 0, "not yet run");
  }

  /** What the last round saw. */
  AnchorStatus status() {
    return status;
  }

  /** One round: compare the chain with the newest checkpoint, anchor it if it is ahead. */
  void publishOnce() {
    Optional<StoredCheckpoint> newest = store.latestCheckpoint();
    if (newest.isEmpty()) {
      return;
    }
    StoredCheckpoint checkpoint = newest.get();
    String error = null;
    boolean reachable = true;
    try {
      if (!logIdChecked) {
        if (!Arrays.equals(anchor.logId(), logId)) {
          throw new IllegalStateException(
              "the anchor contract " + contract + " was deployed for another log");
        }
        logIdChecked = true;
      }
      Optional<AnchoredCheckpoint> onChain = anchor.latest();
      reconcile(onChain);
      long anchoredSize = onChain.map(AnchoredCheckpoint::treeSize).orElse(0L);
      if (checkpoint.treeSize() > anchoredSize) {
        AnchorReceipt receipt =
            anchor.submit(
                checkpoint.treeSize(), root(checkpoint), ChainLink.noteHash(checkpoint.note()));
        store.recordAnchor(
            new AnchorRecord(
                receipt.index(),
                checkpoint.treeSize(),
                checkpoint.height(),
                receipt.transactionHash(),
                receipt.blockNumber(),
                clock.millis()));
        log.info(
            "Anchored checkpoint height {} (tree size {}) as anchor {} in block {}, gas {}",
            checkpoint.height(),
            checkpoint.treeSize(),
            receipt.index(),
            receipt.blockNumber(),
            receipt.gasUsed());
      }
    } catch (ChainUnavailableException e) {
      reachable = false;
      error = "chain unreachable: " + e.getMessage();
      log.warn("Anchoring postponed, the chain is unreachable: {}", e.getMessage());
    } catch (AnchorRejectedException e) {
      error = "rejected by the contract: " + e.errorName();
      log.warn("Anchoring rejected by the contract: {}", e.errorName());
    } catch (AnchorException | RuntimeException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
      log.warn("Anchoring failed, will retry: {}", error);
    }
    status = snapshot(checkpoint, reachable, error);
  }

  /**
   * Brings this server's record in line with the chain: forgets anchors a reorg removed, and
   * records an anchor it did not submit itself (another instance, or before a restart).
   */
  private void reconcile(Optional<AnchoredCheckpoint> onChain) {
    Optional<AnchorRecord> recorded = store.latestAnchor();
    long chainCount = onChain.map(a -> a.index() + 1).orElse(0L);
    if (recorded.isPresent() && recorded.get().index() >= chainCount) {
      log.warn(
          "The chain no longer has anchor {} (reorg or dropped transaction): anchoring again",
          recorded.get().index());
      store.forgetAnchorsFrom(chainCount);
      recorded = store.latestAnchor();
    }
    if (onChain.isPresent()
        && (recorded.isEmpty() || recorded.get().index() < onChain.get().index())) {
      AnchoredCheckpoint latest = onChain.get();
      store.checkpointsOfSize(latest.treeSize()).stream()
          .filter(c -> Arrays.equals(ChainLink.noteHash(c.note()), latest.checkpointHash()))
          .findFirst()
          .ifPresent(
              c ->
                  store.recordAnchor(
                      new AnchorRecord(
                          latest.index(),
                          latest.treeSize(),
                          c.height(),
                          null,
                          latest.blockNumber(),
                          latest.timestamp() * 1000)));
    }
  }

  private AnchorStatus snapshot(StoredCheckpoint newest, boolean reachable, String error) {
    AnchorRecord anchored = store.latestAnchor().orElse(null);
    long anchoredSize = anchored == null ? 0 : anchored.treeSize();
    long lagEntries = Math.max(0, newest.treeSize() - anchoredSize);
    long lagSeconds =
        lagEntries == 0
            ? 0
            : store
                .firstCheckpointLargerThan(anchoredSize)
                .map(c -> Math.max(0, (clock.millis() - signedAt(c)) / 1000))
                .orElse(0L);
    return new AnchorStatus(
        contract, reachable, anchored, newest.treeSize(), lagEntries, lagSeconds, error);
  }

  private static long signedAt(StoredCheckpoint checkpoint) {
    try {
      return ChainLink.of(checkpoint(checkpoint)).timeMillis();
    } catch (InvalidNoteException e) {
      throw new IllegalStateException("a stored checkpoint does not parse", e);
    }
  }

  private static byte[] root(StoredCheckpoint checkpoint) {
    return checkpoint(checkpoint).rootHash();
  }

  /** The checkpoint text of a note this server signed (text, blank line, signatures). */
  private static Checkpoint checkpoint(StoredCheckpoint stored) {
    String note = new String(stored.note(), StandardCharsets.UTF_8);
    try {
      return Checkpoint.parse(note.substring(0, note.lastIndexOf("\n\n") + 1));
    } catch (InvalidNoteException e) {
      throw new IllegalStateException("a stored checkpoint does not parse", e);
    }
  }
}
