package org.chartproof.ledger.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;

/** Keys, settings and assertions shared by the tests that run against a {@link HardhatNode}. */
final class AnchorFixtures {

  /** Quick polls and few, short retries, so that failure paths finish in about a second. */
  static final EvmAnchor.Settings FAST =
      EvmAnchor.Settings.DEFAULTS
          .withPollInterval(Duration.ofMillis(50))
          .withReceiptTimeout(Duration.ofSeconds(30))
          .withRequestTimeout(Duration.ofSeconds(5))
          .withRetries(2, Duration.ofMillis(100));

  static final Credentials ADMIN =
      SubmitterKeys.fromPrivateKey(HardhatNode.DEV_PRIVATE_KEYS.get(0));
  static final Credentials SUBMITTER =
      SubmitterKeys.fromPrivateKey(HardhatNode.DEV_PRIVATE_KEYS.get(1));
  static final Credentials OUTSIDER =
      SubmitterKeys.fromPrivateKey(HardhatNode.DEV_PRIVATE_KEYS.get(2));

  /** The log id of the vkey in docs/ledger.md's worked example. */
  static final byte[] LOG_ID =
      sha256("chartproof.localhost/ledger+161d5e26+AfPVSv/pEfj1JC1tz7S3PAGWotVV8sBYab8+uBXgXDiv");

  private AnchorFixtures() {}

  /** Deploys a contract with {@link #ADMIN} as admin and {@link #SUBMITTER} as its submitter. */
  static String deployWithSubmitter(HardhatNode node) throws AnchorException {
    String contract = EvmAnchor.deploy(node.url(), ADMIN, LOG_ID, FAST);
    EvmAnchor.connect(node.url(), contract, ADMIN, FAST).addSubmitter(SUBMITTER.getAddress());
    return contract;
  }

  interface AnchorCall {
    Object run() throws AnchorException;
  }

  static AnchorException catchAnchorException(AnchorCall call) {
    try {
      call.run();
    } catch (AnchorException e) {
      return e;
    }
    throw new AssertionError("expected an AnchorException");
  }

  /**
   * Asserts that {@code call} is rejected with {@code errorName} and, if given, these arguments.
   */
  static void assertRejected(AnchorCall call, String errorName, long... arguments) {
    AnchorException e = catchAnchorException(call);
    assertThat(e).isInstanceOf(AnchorRejectedException.class);
    AnchorRejectedException rejected = (AnchorRejectedException) e;
    assertThat(rejected.errorName()).isEqualTo(errorName);
    if (arguments.length > 0) {
      List<Object> expected = new ArrayList<>();
      for (long a : arguments) {
        expected.add(BigInteger.valueOf(a));
      }
      assertThat(rejected.arguments()).isEqualTo(expected);
    }
  }

  /** A 32-byte stand-in for a root or checkpoint hash. */
  static byte[] hash(String text) {
    return sha256(text);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
