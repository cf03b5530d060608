package org.chartproof.ledger.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.chartproof.ledger.anchor.AnchorFixtures.ADMIN;
import static org.chartproof.ledger.anchor.AnchorFixtures.FAST;
import static org.chartproof.ledger.anchor.AnchorFixtures.LOG_ID;
import static org.chartproof.ledger.anchor.AnchorFixtures.OUTSIDER;
import static org.chartproof.ledger.anchor.AnchorFixtures.SUBMITTER;
import static org.chartproof.ledger.anchor.AnchorFixtures.assertRejected;
import static org.chartproof.ledger.anchor.AnchorFixtures.catchAnchorException;
import static org.chartproof.ledger.anchor.AnchorFixtures.deployWithSubmitter;
import static org.chartproof.ledger.anchor.AnchorFixtures.hash;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.http.HttpService;

/** {@link EvmAnchor} and the contract against a real local Hardhat node. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EvmAnchorTest {

  static HardhatNode node;

  String contract;
  EvmAnchor admin;
  EvmAnchor submitter;

  @BeforeAll
  static void startNode() {
    node = HardhatNode.start();
  }

  @AfterAll
  static void stopNode() {
    node.stop();
  }

  @BeforeEach
  void deployFreshContract() throws AnchorException {
    contract = deployWithSubmitter(node);
    admin = EvmAnchor.connect(node.url(), contract, ADMIN, FAST);
    submitter = EvmAnchor.connect(node.url(), contract, SUBMITTER, FAST);
  }

  @Test
  void submit_thenReadBack_latestAtCountCoveringAndLogId() throws Exception {
    assertThat(submitter.count()).isZero();
    assertThat(submitter.latest()).isEmpty();
    assertThat(submitter.covering(1)).isEmpty();
    assertThat(submitter.logId()).isEqualTo(LOG_ID);
    assertThat(submitter.admin()).isEqualToIgnoringCase(ADMIN.getAddress());
    assertThat(admin.isSubmitter(SUBMITTER.getAddress())).isTrue();

    AnchorReceipt first = submitter.submit(3, hash("root3"), hash("cp3"));
    AnchorReceipt second = submitter.submit(7, hash("root7"), hash("cp7"));
    AnchorReceipt third = submitter.submit(20, hash("root20"), hash("cp20"));

    assertThat(first.transactionHash()).matches("0x[0-9a-f]{64}");
    assertThat(List.of(first.index(), second.index(), third.index())).containsExactly(0L, 1L, 2L);
    assertThat(second.blockNumber()).isGreaterThan(first.blockNumber());
    assertThat(submitter.count()).isEqualTo(3);

    AnchoredCheckpoint latest = submitter.latest().orElseThrow();
    assertThat(latest).isEqualTo(submitter.at(2));
    assertThat(latest.index()).isEqualTo(2);
    assertThat(latest.treeSize()).isEqualTo(20);
    assertThat(latest.root()).isEqualTo(hash("root20"));
    assertThat(latest.checkpointHash()).isEqualTo(hash("cp20"));
    assertThat(latest.submitter()).isEqualToIgnoringCase(SUBMITTER.getAddress());
    assertThat(latest.blockNumber()).isEqualTo(third.blockNumber());
    assertThat(latest.timestamp()).isEqualTo(blockTimestamp(third.blockNumber()));
    assertThat(submitter.at(0).treeSize()).isEqualTo(3);
    assertThat(submitter.at(0).blockNumber()).isEqualTo(first.blockNumber());

    assertThat(submitter.covering(1).orElseThrow().index()).isZero();
    assertThat(submitter.covering(3).orElseThrow().index()).isZero();
    assertThat(submitter.covering(4).orElseThrow().index()).isEqualTo(1);
    assertThat(submitter.covering(7).orElseThrow().index()).isEqualTo(1);
    assertThat(submitter.covering(8).orElseThrow().index()).isEqualTo(2);
    assertThat(submitter.covering(20).orElseThrow()).isEqualTo(latest);
    assertThat(submitter.covering(21)).isEmpty();

    assertThatThrownBy(() -> submitter.at(3))
        .isInstanceOfSatisfying(
            AnchorRejectedException.class,
            e -> assertThat(e.errorName()).isEqualTo("IndexOutOfRange"));

    System.out.printf(
        "gas per anchor: first %s, second %s, third %s%n",
        first.gasUsed(), second.gasUsed(), third.gasUsed());
    assertThat(second.gasUsed()).isBetween(BigInteger.valueOf(21_000), BigInteger.valueOf(200_000));
  }

  @Test
  void submit_byAccountThatIsNoSubmitter_rejectedNotSubmitter() throws Exception {
    EvmAnchor outsider = EvmAnchor.connect(node.url(), contract, OUTSIDER, FAST);

    assertThatThrownBy(() -> outsider.submit(5, hash("r"), hash("c")))
        .isInstanceOfSatisfying(
            AnchorRejectedException.class,
            e -> {
              assertThat(e.errorName()).isEqualTo("NotSubmitter");
              assertThat(e.getMessage()).contains("NotSubmitter");
            });
    assertThat(submitter.count()).isZero();
  }

  @Test
  void submit_equalOrSmallerTreeSize_rejectedTreeSizeNotIncreasing() throws Exception {
    assertRejected(
        () -> submitter.submit(0, hash("r0"), hash("c0")), "TreeSizeNotIncreasing", 0, 0);
    submitter.submit(10, hash("r10"), hash("c10"));

    assertRejected(
        () -> submitter.submit(10, hash("other"), hash("other")), "TreeSizeNotIncreasing", 10, 10);
    assertRejected(
        () -> submitter.submit(5, hash("r5"), hash("c5")), "TreeSizeNotIncreasing", 10, 5);
    assertThat(submitter.count()).isEqualTo(1);
    assertThat(submitter.latest().orElseThrow().root()).isEqualTo(hash("r10"));
  }

  @Test
  void adminFunctions_onlyAdmin_andRemovedSubmitterKeepsItsAnchors() throws Exception {
    EvmAnchor outsider = EvmAnchor.connect(node.url(), contract, OUTSIDER, FAST);
    String outsiderAddress = OUTSIDER.getAddress();

    assertRejected(() -> outsider.addSubmitter(outsiderAddress), "NotAdmin");
    assertRejected(() -> submitter.removeSubmitter(SUBMITTER.getAddress()), "NotAdmin");
    assertRejected(() -> outsider.transferAdmin(outsiderAddress), "NotAdmin");
    assertRejected(
        () -> admin.addSubmitter("0x0000000000000000000000000000000000000000"), "ZeroAddress");

    submitter.submit(1, hash("r1"), hash("c1"));
    admin.removeSubmitter(SUBMITTER.getAddress());
    assertThat(admin.isSubmitter(SUBMITTER.getAddress())).isFalse();
    assertRejected(() -> submitter.submit(2, hash("r2"), hash("c2")), "NotSubmitter");
    assertThat(submitter.at(0).treeSize()).isEqualTo(1);

    admin.transferAdmin(outsiderAddress);
    assertThat(admin.admin()).isEqualToIgnoringCase(outsiderAddress);
    assertRejected(() -> admin.addSubmitter(SUBMITTER.getAddress()), "NotAdmin");
    outsider.addSubmitter(SUBMITTER.getAddress());
    assertThat(submitter.submit(2, hash("r2"), hash("c2")).index()).isEqualTo(1);
  }

  @Test
  void concurrentSubmits_withOneKey_allSucceedWithDistinctNonces() throws Exception {
    int threads = 4;
    int perThread = 5;
    List<EvmAnchor> anchors = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String address = deployWithSubmitter(node);
      // one instance per thread and contract, one key for all: the lock is per key, not per
      // instance
      anchors.add(EvmAnchor.connect(node.url(), address, SUBMITTER, FAST));
    }
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    List<Future<List<AnchorReceipt>>> results = new ArrayList<>();
    for (EvmAnchor anchor : anchors) {
      results.add(
          executor.submit(
              () -> {
                List<AnchorReceipt> receipts = new ArrayList<>();
                for (int size = 1; size <= perThread; size++) {
                  receipts.add(anchor.submit(size, hash("r" + size), hash("c" + size)));
                }
                return receipts;
              }));
    }
    Web3j web3j = Web3j.build(new HttpService(node.url().toString()));
    Set<BigInteger> nonces = new HashSet<>();
    try {
      for (int t = 0; t < threads; t++) {
        List<AnchorReceipt> receipts = results.get(t).get(60, TimeUnit.SECONDS);
        assertThat(receipts).extracting(AnchorReceipt::index).containsExactly(0L, 1L, 2L, 3L, 4L);
        for (AnchorReceipt receipt : receipts) {
          nonces.add(
              web3j
                  .ethGetTransactionByHash(receipt.transactionHash())
                  .send()
                  .getTransaction()
                  .orElseThrow()
                  .getNonce());
        }
        List<Long> sizes = new ArrayList<>();
        for (long i = 0; i < perThread; i++) {
          sizes.add(anchors.get(t).at(i).treeSize());
        }
        assertThat(sizes).containsExactly(1L, 2L, 3L, 4L, 5L);
      }
    } finally {
      executor.shutdownNow();
      web3j.shutdown();
    }
    assertThat(nonces).hasSize(threads * perThread);
  }

  @Test
  void toStringAndExceptionMessages_neverContainThePrivateKey() throws Exception {
    String key = HardhatNode.DEV_PRIVATE_KEYS.get(1).substring(2);
    EvmAnchor outsider = EvmAnchor.connect(node.url(), contract, OUTSIDER, FAST);
    AnchorException rejected = catchAnchorException(() -> outsider.submit(1, hash("r"), hash("c")));
    EvmAnchor unreachable =
        EvmAnchor.connect(
            URI.create("http://127.0.0.1:1"),
            contract,
            SUBMITTER,
            FAST.withRetries(0, Duration.ofMillis(1)));
    AnchorException down = catchAnchorException(() -> unreachable.count());

    for (String text :
        List.of(
            submitter.toString(),
            admin.toString(),
            SUBMITTER.toString(),
            rejected.toString(),
            down.toString(),
            String.valueOf(down.getCause()))) {
      assertThat(text.toLowerCase()).doesNotContain(key);
    }
    assertThat(submitter.toString()).contains(SUBMITTER.getAddress().substring(2, 10));
  }

  static long blockTimestamp(long blockNumber) throws Exception {
    Web3j web3j = Web3j.build(new HttpService(node.url().toString()));
    try {
      return web3j
          .ethGetBlockByNumber(
              DefaultBlockParameter.valueOf(BigInteger.valueOf(blockNumber)), false)
          .send()
          .getBlock()
          .getTimestamp()
          .longValueExact();
    } finally {
      web3j.shutdown();
    }
  }
}
