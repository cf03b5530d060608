package org.chartproof.ledger.anchor;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * {@link Anchor} on an EVM chain through a deployed {@code ChartproofAnchor} contract, over
 * JSON-RPC on HTTP (web3j).
 *
 * <p>Nothing contacts the node before the first call, so a server can start while the chain is
 * down. Every JSON-RPC call is retried on I/O errors with exponential backoff ({@link
 * Settings#retries()}, {@link Settings#initialBackoff()}) before it fails with {@link
 * ChainUnavailableException}. Transactions from one key are sent one at a time per key address in
 * this JVM, each with the nonce the node reports as pending right before it is sent; a transaction
 * the node drops (or loses to a reorg) before it is confirmed is sent again. Run one submitter per
 * key: two processes sending with the same key race for nonces (which this class survives, but
 * wastefully).
 *
 * <p>The private key never appears in {@link #toString()}, exception messages or logs (this class
 * logs nothing).
 */
public final class EvmAnchor implements Anchor {

  /**
   * How to talk to the chain.
   *
   * @param confirmations blocks that must hold the transaction, counting its own, before {@link
   *     #submit} returns: 1 returns as soon as it is mined, right for QBFT (Besu), whose blocks are
   *     final at once; raise it on chains that can reorg. A node that mines no further blocks (such
   *     as Hardhat's, which mines only on demand) makes values above 1 wait for other traffic.
   * @param pollInterval time between receipt polls
   * @param receiptTimeout how long to wait for a sent transaction to be confirmed before {@link
   *     ChainUnavailableException}
   * @param requestTimeout limit for one HTTP request (connect, send and answer)
   * @param retries retries of a failed JSON-RPC request, and re-sends of a dropped transaction,
   *     before giving up
   * @param initialBackoff wait before the first retry; it doubles with each retry, up to 30 s
   * @param gasLimit gas limit of anchor and admin transactions (an anchor uses about 100,000 to
   *     150,000; see docs/benchmarks.md)
   */
  public record Settings(
      int confirmations,
      Duration pollInterval,
      Duration receiptTimeout,
      Duration requestTimeout,
      int retries,
      Duration initialBackoff,
      long gasLimit) {

    /**
     * 1 confirmation, 500 ms polls, 2 min receipt timeout, 10 s requests, 4 retries from 250 ms,
     * gas limit 300,000. A call to a node that refuses connections thus fails after about 4 s; one
     * to a node that accepts but never answers after about 54 s (5 requests of 10 s plus backoff).
     */
    public static final Settings DEFAULTS =
        new Settings(
            1,
            Duration.ofMillis(500),
            Duration.ofMinutes(2),
            Duration.ofSeconds(10),
            4,
            Duration.ofMillis(250),
            300_000);

    /**
     * @throws IllegalArgumentException if a value is out of range
     */
    public Settings {
      if (confirmations < 1) {
        throw new IllegalArgumentException("confirmations must be at least 1");
      }
      for (Duration d : List.of(pollInterval, receiptTimeout, requestTimeout, initialBackoff)) {
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("durations must be positive");
        }
      }
      if (retries < 0) {
        throw new IllegalArgumentException("retries must not be negative");
      }
      if (gasLimit < 21_000) {
        throw new IllegalArgumentException("gasLimit must be at least 21000");
      }
    }

    public Settings withConfirmations(int confirmations) {
      return new Settings(
          confirmations,
          pollInterval,
          receiptTimeout,
          requestTimeout,
          retries,
          initialBackoff,
          gasLimit);
    }

    public Settings withPollInterval(Duration pollInterval) {
      return new Settings(
          confirmations,
          pollInterval,
          receiptTimeout,
          requestTimeout,
          retries,
          initialBackoff,
          gasLimit);
    }

    public Settings withReceiptTimeout(Duration receiptTimeout) {
      return new Settings(
          confirmations,
          pollInterval,
          receiptTimeout,
          requestTimeout,
          retries,
          initialBackoff,
          gasLimit);
    }

    public Settings withRequestTimeout(Duration requestTimeout) {
      return new Settings(
          confirmations,
          pollInterval,
          receiptTimeout,
          requestTimeout,
          retries,
          initialBackoff,
          gasLimit);
    }

    public Settings withRetries(int retries, Duration initialBackoff) {
      return new Settings(
          confirmations,
          pollInterval,
          receiptTimeout,
          requestTimeout,
          retries,
          initialBackoff,
          gasLimit);
    }

    public Settings withGasLimit(long gasLimit) {
      return new Settings(
          confirmations,
          pollInterval,
          receiptTimeout,
          requestTimeout,
          retries,
          initialBackoff,
          gasLimit);
    }
  }

  private final Rpc rpc;
  private final String contract;
  private final Transactor transactor; // null when read-only

  private EvmAnchor(Rpc rpc, String contract, Transactor transactor) {
    this.rpc = rpc;
    this.contract = contract;
    this.transactor = transactor;
  }

  /**
   * Returns an anchor that submits with {@code submitter}'s key. Does not contact the node.
   *
   * @param rpcUrl the node's JSON-RPC endpoint, http or https
   * @param contractAddress the deployed contract, {@code 0x} and 40 hex digits
   * @throws IllegalArgumentException if the URL or the address is malformed
   */
  public static EvmAnchor connect(
      URI rpcUrl, String contractAddress, Credentials submitter, Settings settings) {
    Objects.requireNonNull(submitter, "submitter");
    Rpc rpc = new Rpc(rpcUrl, settings);
    return new EvmAnchor(
        rpc, checkAddress(contractAddress), new Transactor(rpc, submitter, settings));
  }

  /**
   * Returns an anchor that can only read, for verifiers: {@link #submit} and the admin calls throw
   * {@link IllegalStateException}. Does not contact the node.
   */
  public static EvmAnchor readOnly(URI rpcUrl, String contractAddress, Settings settings) {
    return new EvmAnchor(new Rpc(rpcUrl, settings), checkAddress(contractAddress), null);
  }

  /**
   * Deploys a {@code ChartproofAnchor} for the log {@code logId} with {@code admin} as its admin
   * and no submitters, waits until it is confirmed with the default settings, and returns its
   * checksummed address.
   *
   * @param logId SHA-256 of the log's verifier key text (see {@link Anchor#logId()}), 32 bytes
   */
  public static String deploy(URI rpcUrl, Credentials admin, byte[] logId) throws AnchorException {
    return deploy(rpcUrl, admin, logId, Settings.DEFAULTS);
  }

  /** {@link #deploy(URI, Credentials, byte[])} with the given settings. */
  public static String deploy(URI rpcUrl, Credentials admin, byte[] logId, Settings settings)
      throws AnchorException {
    AnchoredCheckpoint.checkHash("logId", logId);
    Rpc rpc = new Rpc(rpcUrl, settings);
    TransactionReceipt receipt =
        new Transactor(rpc, admin, settings)
            .deploy("deploy ChartproofAnchor", AnchorAbi.deployData(logId));
    return Keys.toChecksumAddress(receipt.getContractAddress());
  }

  @Override
  public AnchorReceipt submit(long treeSize, byte[] root, byte[] checkpointHash)
      throws AnchorException {
    if (treeSize < 0) {
      throw new IllegalArgumentException("treeSize must not be negative");
    }
    AnchoredCheckpoint.checkHash("root", root);
    AnchoredCheckpoint.checkHash("checkpointHash", checkpointHash);
    String what = "anchor(treeSize=" + treeSize + ")";
    TransactionReceipt receipt =
        submitter().invoke(what, contract, AnchorAbi.anchor(treeSize, root, checkpointHash));
    long index =
        AnchorAbi.anchoredIndex(receipt, contract)
            .orElseThrow(() -> new AnchorException(what + ": the receipt has no Anchored event"));
    return new AnchorReceipt(
        receipt.getTransactionHash(),
        receipt.getBlockNumber().longValueExact(),
        index,
        receipt.getGasUsed());
  }

  @Override
  public long count() throws AnchorException {
    return uint(view("count()", AnchorAbi.count()).get(0));
  }

  @Override
  public Optional<AnchoredCheckpoint> latest() throws AnchorException {
    List<Type> values;
    try {
      values = view("latest()", AnchorAbi.latest());
    } catch (AnchorRejectedException e) {
      if (e.errorName().equals("NoAnchors")) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(AnchorAbi.checkpoint(uint(values.get(0)), values.subList(1, values.size())));
  }

  @Override
  public AnchoredCheckpoint at(long index) throws AnchorException {
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative");
    }
    return AnchorAbi.checkpoint(index, view("anchorAt(" + index + ")", AnchorAbi.anchorAt(index)));
  }

  @Override
  public Optional<AnchoredCheckpoint> covering(long treeSize) throws AnchorException {
    Optional<AnchoredCheckpoint> latest = latest();
    if (latest.isEmpty() || latest.get().treeSize() < treeSize) {
      return Optional.empty();
    }
    // Tree sizes strictly increase with the index; invariant: the anchor at hi covers treeSize.
    AnchoredCheckpoint found = latest.get();
    long lo = 0;
    long hi = found.index();
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      AnchoredCheckpoint candidate = at(mid);
      if (candidate.treeSize() >= treeSize) {
        found = candidate;
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return Optional.of(found);
  }

  @Override
  public byte[] logId() throws AnchorException {
    return ((Bytes32) view("logId()", AnchorAbi.logId()).get(0)).getValue();
  }

  /** Returns the contract's admin, checksummed. */
  public String admin() throws AnchorException {
    return Keys.toChecksumAddress(((Address) view("admin()", AnchorAbi.admin()).get(0)).getValue());
  }

  /** Returns whether {@code account} may anchor. */
  public boolean isSubmitter(String account) throws AnchorException {
    return ((Bool) view("isSubmitter", AnchorAbi.isSubmitter(checkAddress(account))).get(0))
        .getValue();
  }

  /**
   * Lets {@code account} anchor; this anchor's key must be the admin's. Returns the transaction
   * hash once confirmed.
   *
   * @throws AnchorRejectedException ({@code NotAdmin}, {@code ZeroAddress})
   */
  public String addSubmitter(String account) throws AnchorException {
    return submitter()
        .invoke(
            "addSubmitter(" + account + ")",
            contract,
            AnchorAbi.addSubmitter(checkAddress(account)))
        .getTransactionHash();
  }

  /**
   * Stops {@code account} from anchoring (its anchors stay); admin only, as {@link #addSubmitter}.
   */
  public String removeSubmitter(String account) throws AnchorException {
    return submitter()
        .invoke(
            "removeSubmitter(" + account + ")",
            contract,
            AnchorAbi.removeSubmitter(checkAddress(account)))
        .getTransactionHash();
  }

  /** Hands the admin role to {@code newAdmin}; admin only, as {@link #addSubmitter}. */
  public String transferAdmin(String newAdmin) throws AnchorException {
    return submitter()
        .invoke(
            "transferAdmin(" + newAdmin + ")",
            contract,
            AnchorAbi.transferAdmin(checkAddress(newAdmin)))
        .getTransactionHash();
  }

  /** Returns the contract's checksummed address. */
  public String contractAddress() {
    return contract;
  }

  @Override
  public String toString() {
    return "EvmAnchor[contract=%s, node=%s, submitter=%s]"
        .formatted(
            contract,
            rpc.endpoint(),
            transactor == null ? "none (read-only)" : transactor.address());
  }

  private List<Type> view(String what, Function function) throws AnchorException {
    return rpc.call(what, Address.DEFAULT.getValue(), contract, function);
  }

  private Transactor submitter() {
    if (transactor == null) {
      throw new IllegalStateException("this EvmAnchor is read-only");
    }
    return transactor;
  }

  private static long uint(Type value) {
    return ((Uint256) value).getValue().longValueExact();
  }

  private static String checkAddress(String address) {
    if (address == null || !address.startsWith("0x") || !WalletUtils.isValidAddress(address)) {
      throw new IllegalArgumentException("not an address (0x and 40 hex digits): " + address);
    }
    return Keys.toChecksumAddress(address);
  }
}
