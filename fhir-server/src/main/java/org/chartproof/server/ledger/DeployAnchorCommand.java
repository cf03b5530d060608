package org.chartproof.server.ledger;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chartproof.ledger.anchor.AnchorException;
import org.chartproof.ledger.anchor.EvmAnchor;
import org.chartproof.ledger.anchor.SubmitterKeys;
import org.chartproof.ledger.note.ChainLink;
import org.chartproof.ledger.note.VerifierKey;
import org.web3j.crypto.Credentials;

/**
 * {@code java -jar chartproof-server.jar deploy-anchor ...}: deploys a log's anchor contract for
 * its verifier key and authorizes the submitter accounts (one per institution). Prints the contract
 * address for {@code chartproof.anchor.contract-address}. Needs only the log's public key: the
 * admin need not hold the log's signing key.
 */
public final class DeployAnchorCommand {

  static final String USAGE =
      """
      usage: deploy-anchor --rpc-url URL --key <vkey | @file> --submitter ADDRESS [--submitter ...]
        --rpc-url URL            a chain node's JSON-RPC endpoint
        --key K                  the log's verifier key (GET /ledger/key), or @file holding it
        --submitter ADDRESS      an account allowed to anchor (repeat for each institution)
        --admin-keystore F       the admin's encrypted Web3 key file, with
        --admin-keystore-password-file F
                                 otherwise the admin's hex private key is read from the
                                 environment variable CHARTPROOF_ANCHOR_ADMIN_PRIVATE_KEY
      prints: contract <address>
      """;

  private DeployAnchorCommand() {}

  /** Runs the command; returns the exit status (0 deployed, 2 failed). */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String rpcUrl = null;
    String key = null;
    Path keystore = null;
    Path passwordFile = null;
    List<String> submitters = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--rpc-url" -> rpcUrl = required(args[i], value);
          case "--key" -> key = required(args[i], value);
          case "--submitter" -> submitters.add(required(args[i], value));
          case "--admin-keystore" -> keystore = Path.of(required(args[i], value));
          case "--admin-keystore-password-file" -> passwordFile = Path.of(required(args[i], value));
          default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
        }
        i++;
      }
      if (rpcUrl == null || key == null || submitters.isEmpty()) {
        throw new IllegalArgumentException("--rpc-url, --key and --submitter are required");
      }
      VerifierKey vkey =
          VerifierKey.parse(
              (key.startsWith("@") ? Files.readString(Path.of(key.substring(1))) : key).trim());
      Credentials admin = admin(keystore, passwordFile, env);
      URI rpc = URI.create(rpcUrl);
      byte[] logId = ChainLink.noteHash(vkey.encode().getBytes(StandardCharsets.UTF_8));
      String contract = EvmAnchor.deploy(rpc, admin, logId);
      EvmAnchor anchor = EvmAnchor.connect(rpc, contract, admin, EvmAnchor.Settings.DEFAULTS);
      for (String submitter : submitters) {
        anchor.addSubmitter(submitter);
      }
      out.println("contract " + contract);
      return 0;
    } catch (IllegalArgumentException | IOException | InvalidKeyException e) {
      err.println("deploy-anchor: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (AnchorException e) {
      err.println("deploy-anchor: the chain refused or could not be reached: " + e.getMessage());
      return 2;
    }
  }

  private static String required(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  private static Credentials admin(Path keystore, Path passwordFile, Map<String, String> env)
      throws IOException, InvalidKeyException {
    if (keystore != null) {
      if (passwordFile == null) {
        throw new IllegalArgumentException("--admin-keystore needs --admin-keystore-password-file");
      }
      return SubmitterKeys.fromKeystore(
          keystore, Files.readString(passwordFile, StandardCharsets.UTF_8).strip());
    }
    String hex = env.get("CHARTPROOF_ANCHOR_ADMIN_PRIVATE_KEY");
    if (hex == null || hex.isBlank()) {
      throw new IllegalArgumentException(
          "give --admin-keystore or set CHARTPROOF_ANCHOR_ADMIN_PRIVATE_KEY");
    }
    return SubmitterKeys.fromPrivateKey(hex);
  }
}
