package org.chartproof.ledger.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chartproof.ledger.anchor.AnchorFixtures.FAST;
import static org.chartproof.ledger.anchor.AnchorFixtures.SUBMITTER;
import static org.chartproof.ledger.anchor.AnchorFixtures.catchAnchorException;
import static org.chartproof.ledger.anchor.AnchorFixtures.deployWithSubmitter;
import static org.chartproof.ledger.anchor.AnchorFixtures.hash;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Confirmations, reorgs and dropped transactions, simulated with Hardhat's snapshot/revert,
 * on-demand mining and transaction dropping: whatever the chain loses, the submitter re-reads the
 * nonce and sends again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResubmitTest {

  static HardhatNode node;

  EvmAnchor submitter;
  ExecutorService background = Executors.newSingleThreadExecutor();

  @BeforeAll
  static void startNode() {
    node = HardhatNode.start();
  }

  @AfterAll
  static void stopNode() {
    node.stop();
  }

  @BeforeEach
  void deploy() throws AnchorException {
    submitter = EvmAnchor.connect(node.url(), deployWithSubmitter(node), SUBMITTER, FAST);
  }

  @AfterEach
  void restoreMining() {
    background.shutdownNow();
    node.automine(true);
  }

  @Test
  void submit_anchorDroppedBySnapshotRevert_goneFromLatest_resubmitSucceeds() throws Exception {
    AnchorReceipt kept = submitter.submit(4, hash("r4"), hash("c4"));
    String snapshot = node.snapshot();
    submitter.submit(9, hash("r9"), hash("c9"));
    assertThat(submitter.latest().orElseThrow().treeSize()).isEqualTo(9);

    assertThat(node.revert(snapshot)).isTrue();

    assertThat(submitter.latest().orElseThrow().treeSize()).isEqualTo(4);
    assertThat(submitter.count()).isEqualTo(1);
    // the nonce the dropped transaction used is free again: the submitter re-reads it
    AnchorReceipt again = submitter.submit(9, hash("r9"), hash("c9"));
    assertThat(again.index()).isEqualTo(1);
    assertThat(again.blockNumber()).isEqualTo(kept.blockNumber() + 1);
    assertThat(submitter.latest().orElseThrow().checkpointHash()).isEqualTo(hash("c9"));
  }

  @Test
  void submit_withTwoConfirmations_returnsOnlyAfterTheNextBlock() throws Exception {
    EvmAnchor patient = withConfirmations(2);

    Future<AnchorReceipt> pending = inBackground(() -> patient.submit(5, hash("r5"), hash("c5")));
    // Hardhat mines the transaction at once, then no further block until asked
    await(() -> count() == 1);
    Thread.sleep(300);
    assertThat(pending).isNotDone();

    node.mine();

    assertThat(pending.get(10, TimeUnit.SECONDS).index()).isZero();
  }

  @Test
  void submit_reorgedOutBeforeConfirmed_sentAgain() throws Exception {
    EvmAnchor patient = withConfirmations(2);
    String beforeSubmit = node.snapshot();

    Future<AnchorReceipt> pending = inBackground(() -> patient.submit(5, hash("r5"), hash("c5")));
    await(() -> count() == 1);
    node.revert(beforeSubmit); // the block holding it is gone, and the transaction with it
    await(() -> count() == 1); // sent again and mined again
    node.mine();

    assertThat(pending.get(10, TimeUnit.SECONDS).index()).isZero();
    assertThat(submitter.count()).isEqualTo(1);
  }

  @Test
  void submit_droppedWhilePending_sentAgain() throws Exception {
    node.automine(false);

    Future<AnchorReceipt> pending = inBackground(() -> submitter.submit(5, hash("r5"), hash("c5")));
    await(() -> node.pendingTransactions().size() == 1);
    String first = node.pendingTransactions().get(0);
    assertThat(node.dropTransaction(first)).isTrue();
    await(() -> node.pendingTransactions().size() == 1); // sent again with the same nonce
    node.mine();

    AnchorReceipt receipt = pending.get(10, TimeUnit.SECONDS);
    assertThat(receipt.index()).isZero();
    assertThat(submitter.count()).isEqualTo(1);
    assertThat(node.pendingTransactions()).isEqualTo(List.of());
  }

  @Test
  void submit_neverMined_chainUnavailableAfterReceiptTimeout_andMayStillBeMinedLater()
      throws Exception {
    node.automine(false);
    EvmAnchor impatient =
        EvmAnchor.connect(
            node.url(),
            submitter.contractAddress(),
            SUBMITTER,
            FAST.withReceiptTimeout(Duration.ofMillis(500)));

    AnchorException e = catchAnchorException(() -> impatient.submit(5, hash("r5"), hash("c5")));

    assertThat(e).isInstanceOf(ChainUnavailableException.class);
    assertThat(e.getMessage()).contains("not confirmed within PT0.5S");
    node.mine();
    assertThat(submitter.latest().orElseThrow().treeSize()).isEqualTo(5);
  }

  private EvmAnchor withConfirmations(int confirmations) {
    return EvmAnchor.connect(
        node.url(), submitter.contractAddress(), SUBMITTER, FAST.withConfirmations(confirmations));
  }

  private Future<AnchorReceipt> inBackground(Callable<AnchorReceipt> call) {
    return background.submit(call);
  }

  private long count() {
    try {
      return submitter.count();
    } catch (AnchorException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(20);
    }
  }
}
