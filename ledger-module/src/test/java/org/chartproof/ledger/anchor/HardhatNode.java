package org.chartproof.ledger.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real local EVM node for tests: the Hardhat version pinned in the repository's {@code chain/},
 * started on 127.0.0.1 on a free port, stopped by {@link #close()} or at JVM exit. It mines every
 * transaction into its own block as it arrives; chain id 31337; the accounts are the well-known
 * development ones ({@link #DEV_PRIVATE_KEYS}, 10,000 ETH each). Its state lives in memory: a
 * restarted node is a new, empty chain.
 *
 * <p>Other modules use it through ledger-module's test-jar ({@code <type>test-jar</type>}); it
 * finds {@code chain/} by walking up from the working directory, or from the system property {@code
 * chartproof.chain.dir}. {@code chain/node_modules} must be installed ({@code node
 * chain/install.js}; ledger-module's build does it).
 */
public final class HardhatNode implements AutoCloseable {

  /** Chain id fixed by {@code chain/hardhat.config.js}. */
  public static final long CHAIN_ID = 31337;

  /**
   * Private keys of the first five development accounts (from the public mnemonic {@code test test
   * ... junk}): funded here, and known to everyone, so never use them elsewhere.
   */
  public static final List<String> DEV_PRIVATE_KEYS =
      List.of(
          "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
          "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
          "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
          "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
          "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;
  private final Path log;
  private final Thread shutdownHook;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private HardhatNode(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.shutdownHook = new Thread(this::kill, "hardhat-node-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a node on a free port and waits until it answers {@code eth_chainId}. */
  public static HardhatNode start() {
    return start(freePort());
  }

  /**
   * Starts a node on {@code port} (to bring a stopped node's URL back) and waits until it answers
   * {@code eth_chainId}.
   *
   * @throws IllegalStateException if it does not answer within 90 s or exits; the message holds the
   *     end of its log
   */
  public static HardhatNode start(int port) {
    Path chain = chainDir();
    Path cli = chain.resolve("node_modules/hardhat/internal/cli/cli.js");
    if (!Files.isRegularFile(cli)) {
      throw new IllegalStateException(
          "Hardhat is not installed in " + chain + ": run `node chain/install.js`");
    }
    try {
      Path log = Files.createTempFile("hardhat-node-" + port + "-", ".log");
      log.toFile().deleteOnExit();
      ProcessBuilder builder =
          new ProcessBuilder(
                  "node",
                  cli.toString(),
                  "node",
                  "--hostname",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port))
              .directory(chain.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("HARDHAT_DISABLE_TELEMETRY_PROMPT", "true");
      HardhatNode node = new HardhatNode(builder.start(), port, log);
      node.awaitReady();
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Hardhat node (is node on the PATH?)", e);
    }
  }

  /** Returns the JSON-RPC endpoint, {@code http://127.0.0.1:<port>}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** Takes a snapshot of the chain's state ({@code evm_snapshot}) and returns its id. */
  public String snapshot() {
    return rpc("evm_snapshot").asText();
  }

  /**
   * Returns the chain to snapshot {@code id} ({@code evm_revert}): blocks mined since are gone,
   * with their transactions. A snapshot can be reverted to once.
   *
   * @return whether the node reverted
   */
  public boolean revert(String id) {
    return rpc("evm_revert", id).asBoolean();
  }

  /** Mines one block with whatever is pending ({@code evm_mine}). */
  public void mine() {
    rpc("evm_mine");
  }

  /**
   * Turns mining of each transaction on arrival on or off ({@code evm_setAutomine}); while off,
   * transactions stay pending until {@link #mine()}.
   */
  public void automine(boolean on) {
    rpc("evm_setAutomine", on);
  }

  /** Returns the hashes of the pending transactions. */
  public List<String> pendingTransactions() {
    List<String> hashes = new ArrayList<>();
    rpc("eth_getBlockByNumber", "pending", false)
        .path("transactions")
        .forEach(h -> hashes.add(h.asText()));
    return hashes;
  }

  /** Removes a pending transaction from the node as if it had never been sent. */
  public boolean dropTransaction(String hash) {
    return rpc("hardhat_dropTransaction", hash).asBoolean();
  }

  /**
   * Calls a JSON-RPC method and returns its {@code result}.
   *
   * @param params strings, numbers and booleans
   * @throws IllegalStateException if the node answers an error
   */
  public JsonNode rpc(String method, Object... params) {
    ObjectNode request =
        JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
    request.set("params", JSON.valueToTree(params));
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(url())
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode answer = JSON.readTree(response.body());
      if (!answer.has("result")) {
        throw new IllegalStateException(method + " answered " + response.body());
      }
      return answer.get("result");
    } catch (IOException e) {
      throw new UncheckedIOException(method + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " interrupted", e);
    }
  }

  /** Returns the node's log file (its stdout and stderr). */
  public Path log() {
    return log;
  }

  /** Stops the node and its child processes; waits up to 10 s. Idempotent. */
  public void stop() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down and runs the hook itself
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void kill() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Hardhat node exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        if (rpc("eth_chainId").asText().equals("0x" + Long.toHexString(CHAIN_ID))) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    stop();
    throw new IllegalStateException(
        "the Hardhat node did not answer on port "
            + port
            + " within "
            + START_TIMEOUT
            + ":\n"
            + logTail());
  }

  private String logTail() {
    try {
      String text = Files.readString(log);
      return text.substring(Math.max(0, text.length() - 2000));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path chainDir() {
    String configured = System.getProperty("chartproof.chain.dir");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("chain/hardhat.config.js"))) {
        return dir.resolve("chain");
      }
    }
    throw new IllegalStateException(
        "no chain/hardhat.config.js above "
            + Path.of("").toAbsolutePath()
            + "; set -Dchartproof.chain.dir");
  }
}
