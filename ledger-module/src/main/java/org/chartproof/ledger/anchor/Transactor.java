package org.chartproof.ledger.anchor;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Signs, sends and awaits transactions from one key, one at a time per key address in this JVM: the
 * nonce is read from the node's pending count right before each send, so a transaction lost to a
 * reorg, a dropped transaction or another process using the key is handled by re-reading the chain
 * rather than by a local counter that could drift.
 *
 * <p>Transactions are legacy (type 0) with the node's gas price, signed for the node's chain id
 * (EIP-155): they work on chains with and without EIP-1559, including Besu networks with free gas.
 */
final class Transactor {

  /** Deploying costs about 550,000 gas (see docs/benchmarks.md); a bound well above it. */
  static final BigInteger DEPLOY_GAS_LIMIT = BigInteger.valueOf(1_000_000);

  private static final ConcurrentMap<String, ReentrantLock> KEY_LOCKS = new ConcurrentHashMap<>();

  private final Rpc rpc;
  private final Credentials key;
  private final EvmAnchor.Settings settings;
  private volatile Long chainId;

  Transactor(Rpc rpc, Credentials key, EvmAnchor.Settings settings) {
    this.rpc = rpc;
    this.key = key;
    this.settings = settings;
  }

  String address() {
    return key.getAddress();
  }

  /**
   * Calls {@code function} on {@code contract} in a transaction and returns its receipt once it is
   * confirmed. The call is first simulated, so that a revert is reported by name without spending
   * gas.
   */
  TransactionReceipt invoke(String what, String contract, Function function)
      throws AnchorException {
    return transact(
        what,
        contract,
        FunctionEncoder.encode(function),
        BigInteger.valueOf(settings.gasLimit()),
        function);
  }

  /** Deploys {@code initCode} and returns the confirmed receipt (with the contract's address). */
  TransactionReceipt deploy(String what, String initCode) throws AnchorException {
    return transact(what, null, initCode, DEPLOY_GAS_LIMIT, null);
  }

  private TransactionReceipt transact(
      String what, String to, String data, BigInteger gasLimit, Function function)
      throws AnchorException {
    ReentrantLock lock =
        KEY_LOCKS.computeIfAbsent(address().toLowerCase(Locale.ROOT), a -> new ReentrantLock());
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnchorException(what + ": interrupted", e);
    }
    try {
      for (int attempt = 0; attempt <= settings.retries(); attempt++) {
        if (function != null) {
          rpc.call(what, address(), to, function);
        }
        Optional<TransactionReceipt> receipt = sendOnce(what, to, data, gasLimit);
        if (receipt.isEmpty()) {
          continue; // dropped, reorged out or nonce taken: re-read the chain, send again
        }
        if (!receipt.get().isStatusOK()) {
          throw reverted(what, to, function, receipt.get(), gasLimit);
        }
        return receipt.get();
      }
      throw new AnchorException(
          "%s: the transaction was dropped or its nonce taken %d times in a row; is another process sending with key %s?"
              .formatted(what, settings.retries() + 1, address()));
    } finally {
      lock.unlock();
    }
  }

  /** Sends once with a fresh nonce; empty if the node dropped it or its nonce was already used. */
  private Optional<TransactionReceipt> sendOnce(
      String what, String to, String data, BigInteger gasLimit) throws AnchorException {
    BigInteger nonce =
        rpc.checked(
                what,
                rpc.web3j.ethGetTransactionCount(address(), DefaultBlockParameterName.PENDING))
            .getTransactionCount();
    BigInteger gasPrice = rpc.checked(what, rpc.web3j.ethGasPrice()).getGasPrice();
    RawTransaction tx =
        to == null
            ? RawTransaction.createContractTransaction(
                nonce, gasPrice, gasLimit, BigInteger.ZERO, data)
            : RawTransaction.createTransaction(
                nonce, gasPrice, gasLimit, to, BigInteger.ZERO, data);
    String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId(what), key));
    String hash = Hash.sha3(signed);
    EthSendTransaction sent = rpc.send(what, rpc.web3j.ethSendRawTransaction(signed));
    // A node may answer with an error and still have the transaction: a retried send after a lost
    // answer ("already known"), or Hardhat, which mines a reverting transaction and answers the
    // revert.
    if (sent.hasError() && !isKnown(what, hash)) {
      Optional<AnchorRejectedException> rejected = AnchorAbi.rejection(what, sent.getError());
      if (rejected.isPresent()) {
        throw rejected.get();
      }
      String message = String.valueOf(sent.getError().getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("nonce")
          || message.contains("known")
          || message.contains("underpriced")) {
        return Optional.empty();
      }
      throw rpc.nodeError(what, sent.getError());
    }
    return awaitConfirmed(what, hash);
  }

  /**
   * Polls until {@code hash} is mined with the configured confirmations; empty once the node no
   * longer knows the transaction (dropped, or reorged out and discarded).
   */
  private Optional<TransactionReceipt> awaitConfirmed(String what, String hash)
      throws AnchorException {
    long deadline = System.nanoTime() + settings.receiptTimeout().toNanos();
    while (true) {
      Optional<TransactionReceipt> receipt =
          rpc.checked(what, rpc.web3j.ethGetTransactionReceipt(hash)).getTransactionReceipt();
      if (receipt.isPresent()) {
        BigInteger head = rpc.blockNumber(what);
        long depth = head.subtract(receipt.get().getBlockNumber()).longValueExact() + 1;
        if (depth >= settings.confirmations()) {
          return receipt;
        }
      } else if (!isKnown(what, hash)) {
        return Optional.empty();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new ChainUnavailableException(
            "%s: transaction %s not confirmed within %s; it may still be mined: re-read the chain before retrying"
                .formatted(what, hash, settings.receiptTimeout()));
      }
      Rpc.sleep(what, settings.pollInterval());
    }
  }

  private boolean isKnown(String what, String hash) throws AnchorException {
    return rpc.checked(what, rpc.web3j.ethGetTransactionByHash(hash)).getTransaction().isPresent();
  }

  /** Names the revert of a mined transaction by simulating the call again on the new state. */
  private AnchorException reverted(
      String what, String to, Function function, TransactionReceipt receipt, BigInteger gasLimit)
      throws AnchorException {
    if (function != null) {
      rpc.call(what, address(), to, function); // throws AnchorRejectedException with the reason
    }
    return new AnchorException(
        "%s: transaction %s reverted in block %s (gas used %s of %s)"
            .formatted(
                what,
                receipt.getTransactionHash(),
                receipt.getBlockNumber(),
                receipt.getGasUsed(),
                gasLimit));
  }

  private long chainId(String what) throws AnchorException {
    Long id = chainId;
    if (id == null) {
      id = rpc.checked(what, rpc.web3j.ethChainId()).getChainId().longValueExact();
      chainId = id;
    }
    return id;
  }

  @Override
  public String toString() {
    return "Transactor[" + address() + "]"; // the address only: never the key
  }
}
