package org.chartproof.ledger.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chartproof.ledger.anchor.AnchorFixtures.FAST;
import static org.chartproof.ledger.anchor.AnchorFixtures.SUBMITTER;
import static org.chartproof.ledger.anchor.AnchorFixtures.catchAnchorException;
import static org.chartproof.ledger.anchor.AnchorFixtures.deployWithSubmitter;
import static org.chartproof.ledger.anchor.AnchorFixtures.hash;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A node that goes away and comes back: bounded failure, then recovery without a new client. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeDownTest {

  @Test
  void submit_nodeDown_chainUnavailableAfterBoundedRetries_thenNodeUp_submitWorks()
      throws Exception {
    HardhatNode node = HardhatNode.start();
    try {
      String contract = deployWithSubmitter(node);
      EvmAnchor anchor = EvmAnchor.connect(node.url(), contract, SUBMITTER, FAST);
      anchor.submit(1, hash("r1"), hash("c1"));
      int port = node.port();
      node.stop();

      long start = System.nanoTime();
      AnchorException down = catchAnchorException(() -> anchor.submit(2, hash("r2"), hash("c2")));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(down).isInstanceOf(ChainUnavailableException.class);
      assertThat(down.getMessage()).contains("after 3 attempts").contains("127.0.0.1:" + port);
      // 2 retries with 100 ms and 200 ms backoff
      assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofSeconds(10));
      assertThat(catchAnchorException(anchor::count)).isInstanceOf(ChainUnavailableException.class);

      // Hardhat keeps its chain in memory: the restarted node is empty, and the same deployer at
      // the same nonce puts the contract at the same address again.
      node = HardhatNode.start(port);
      assertThat(deployWithSubmitter(node)).isEqualTo(contract);

      AnchorReceipt receipt = anchor.submit(2, hash("r2"), hash("c2"));

      assertThat(receipt.index()).isZero();
      assertThat(anchor.latest().orElseThrow().treeSize()).isEqualTo(2);
    } finally {
      node.stop();
    }
  }
}
