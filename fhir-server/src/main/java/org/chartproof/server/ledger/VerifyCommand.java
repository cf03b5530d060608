package org.chartproof.server.ledger;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import org.chartproof.ledger.anchor.Anchor;
import org.chartproof.ledger.anchor.AnchorException;
import org.chartproof.ledger.anchor.AnchoredCheckpoint;
import org.chartproof.ledger.anchor.EvmAnchor;
import org.chartproof.ledger.entry.PseudonymKey;
import org.chartproof.ledger.note.ChainLink;
import org.chartproof.ledger.note.InvalidNoteException;
import org.chartproof.ledger.note.VerifierKey;
import org.chartproof.server.encryption.StoredBodyReader;
import org.chartproof.server.storage.SecretKeyFile;

/**
 * {@code java -jar chartproof-server.jar verify ...}: the auditor's check of a whole database
 * against its ledger, without a running server (README.md, docs/ledger.md). Exit status 0 when
 * everything verifies, 1 when problems were found (each is printed), 2 when it could not verify.
 */
public final class VerifyCommand {

  /** Exit status: everything verified. */
  public static final int CLEAN = 0;

  /** Exit status: problems found, each printed on stdout. */
  public static final int PROBLEMS = 1;

  /** Exit status: could not verify (arguments, key, database). */
  public static final int CANNOT_VERIFY = 2;

  private static final Set<String> FLAGS = Set.of("--quiet");
  private static final Set<String> OPTIONS =
      Set.of(
          "--db-url",
          "--db-user",
          "--db-password-env",
          "--data-dir",
          "--key",
          "--pseudonym-key-file",
          "--keystore",
          "--keystore-password-env",
          "--trusted-checkpoint",
          "--save-checkpoint",
          "--chain-rpc",
          "--anchor-contract",
          "--time-zone");

  static final String USAGE =
      """
      usage: verify --key <vkey | @file> [options]
        --key K                  the log's verifier key, as GET /ledger/key showed it when you
                                 decided to trust it (or @file holding it); required
        --trusted-checkpoint F   a signed checkpoint you kept (GET /ledger/checkpoint or an earlier
                                 --save-checkpoint): the log must still contain it unchanged
        --save-checkpoint F      after a clean run, write the latest checkpoint to F
        --db-url URL             JDBC URL (default: $SPRING_DATASOURCE_URL, else the embedded H2
                                 database in the data directory; stop the server first for H2)
        --db-user U              (default: $SPRING_DATASOURCE_USERNAME, else sa)
        --db-password-env VAR    environment variable holding the password
                                 (default: SPRING_DATASOURCE_PASSWORD)
        --data-dir D             the server's chartproof.storage.data-dir (default: ./data)
        --pseudonym-key-file F   the ledger pseudonym key (default: <data-dir>/ledger-pseudonym.key)
        --keystore F             the key-encryption keystore, to decrypt stored bodies (default:
                                 keys/kek.p12 in --data-dir, else beside the pseudonym key
                                 file); its password from the variable --keystore-password-env
                                 names (default: CHARTPROOF_ENCRYPTION_KEYSTORE_PASSWORD), else
                                 from the file F.password
        --chain-rpc URL          a chain node's JSON-RPC endpoint (any validator): the ledger must
                                 agree with every checkpoint anchored on the chain
        --anchor-contract A      the log's anchor contract address (with --chain-rpc)
        --time-zone Z            the server's time zone, in which it serves lastUpdated
                                 (default: this machine's)
        --quiet                  no progress on stderr
      exit status: 0 verified, 1 problems found (listed on stdout), 2 could not verify
      """;

  private VerifyCommand() {}

  /** Runs the command; returns the exit status. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.print(USAGE);
      return CLEAN;
    }
    Map<String, String> options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("verify: " + e.getMessage());
      err.print(USAGE);
      return CANNOT_VERIFY;
    }
    try {
      return verify(options, env, out, err);
    } catch (IllegalArgumentException | IllegalStateException | InvalidNoteException e) {
      err.println("verify: " + e.getMessage());
      return CANNOT_VERIFY;
    } catch (SQLException e) {
      err.println("verify: cannot read the database: " + e.getMessage());
      return CANNOT_VERIFY;
    } catch (IOException e) {
      err.println("verify: " + e);
      return CANNOT_VERIFY;
    }
  }

  private static int verify(
      Map<String, String> options, Map<String, String> env, PrintStream out, PrintStream err)
      throws IOException, SQLException, InvalidNoteException {
    if (!options.containsKey("--key")) {
      throw new IllegalArgumentException("--key is required: the verifier key you trust");
    }
    if (options.containsKey("--time-zone")) {
      TimeZone.setDefault(TimeZone.getTimeZone(options.get("--time-zone")));
    }
    VerifierKey key = VerifierKey.parse(textOrFile(options.get("--key")).trim());
    Path dataDir = Path.of(options.getOrDefault("--data-dir", "./data"));
    Path pseudonymFile =
        options.containsKey("--pseudonym-key-file")
            ? Path.of(options.get("--pseudonym-key-file"))
            : dataDir.resolve("ledger-pseudonym.key");
    PseudonymKey pseudonyms =
        SecretKeyFile.read(pseudonymFile, "ledger pseudonym key", PseudonymKey::of);
    byte[] trusted =
        options.containsKey("--trusted-checkpoint")
            ? Files.readAllBytes(Path.of(options.get("--trusted-checkpoint")))
            : null;
    String url =
        options.getOrDefault(
            "--db-url",
            env.getOrDefault(
                "SPRING_DATASOURCE_URL",
                "jdbc:h2:file:"
                    + dataDir.toAbsolutePath().resolve("chartproof")
                    + ";IFEXISTS=TRUE"));
    String user =
        options.getOrDefault("--db-user", env.getOrDefault("SPRING_DATASOURCE_USERNAME", "sa"));
    String password =
        env.getOrDefault(
            options.getOrDefault("--db-password-env", "SPRING_DATASOURCE_PASSWORD"), "");

    Path keyDir =
        options.containsKey("--data-dir") || !options.containsKey("--pseudonym-key-file")
            ? dataDir
            : pseudonymFile.toAbsolutePath().getParent();
    Path keystore =
        Path.of(
            options.getOrDefault(
                "--keystore", StoredBodyReader.embeddedKeystore(keyDir).toString()));
    String keystorePassword =
        env.getOrDefault(
            options.getOrDefault(
                "--keystore-password-env", "CHARTPROOF_ENCRYPTION_KEYSTORE_PASSWORD"),
            "");

    List<AnchoredCheckpoint> anchors = readAnchors(options, key, err);
    Progress progress = options.containsKey("--quiet") ? null : new Progress(err);
    try (Connection db = DriverManager.getConnection(url, user, password)) {
      // one consistent, read-only snapshot: entries and versions commit together
      db.setReadOnly(true);
      db.setAutoCommit(false);
      db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      LedgerAudit audit =
          new LedgerAudit(
              db,
              key,
              pseudonyms,
              FhirContext.forR4Cached(),
              trusted,
              anchors,
              progress == null ? (pass, done, total) -> {} : progress,
              StoredBodyReader.withKeystore(db, keystore, keystorePassword));
      AuditReport report = audit.run();
      db.rollback();
      if (progress != null) {
        progress.done();
      }
      report.findings().forEach(out::println);
      out.println(report.summary());
      if (report.clean() && options.containsKey("--save-checkpoint")) {
        Path target = Path.of(options.get("--save-checkpoint"));
        byte[] note = audit.latestNote().orElseThrow();
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".checkpoint", ".tmp");
        Files.write(tmp, note);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out.println("saved the latest checkpoint to " + target);
      }
      return report.clean() ? CLEAN : PROBLEMS;
    }
  }

  /**
   * Reads every anchor of the log from the chain itself, after checking that the contract was
   * deployed for this log; {@code null} without {@code --chain-rpc}.
   */
  private static List<AnchoredCheckpoint> readAnchors(
      Map<String, String> options, VerifierKey key, PrintStream err) {
    if (!options.containsKey("--chain-rpc") && !options.containsKey("--anchor-contract")) {
      return null;
    }
    if (!options.containsKey("--chain-rpc") || !options.containsKey("--anchor-contract")) {
      throw new IllegalArgumentException("--chain-rpc and --anchor-contract go together");
    }
    Anchor chain =
        EvmAnchor.readOnly(
            URI.create(options.get("--chain-rpc")),
            options.get("--anchor-contract"),
            EvmAnchor.Settings.DEFAULTS);
    try {
      byte[] logId = ChainLink.noteHash(key.encode().getBytes(StandardCharsets.UTF_8));
      if (!Arrays.equals(chain.logId(), logId)) {
        throw new IllegalArgumentException(
            "the anchor contract was deployed for another log (its logId is not SHA-256 of --key)");
      }
      long count = chain.count();
      List<AnchoredCheckpoint> anchors = new ArrayList<>();
      for (long i = 0; i < count; i++) {
        anchors.add(chain.at(i));
      }
      if (!options.containsKey("--quiet")) {
        err.printf("verify: read %d anchors from the chain%n", count);
      }
      return anchors;
    } catch (AnchorException e) {
      throw new IllegalStateException("cannot read the anchors from the chain: " + e.getMessage());
    }
  }

  private static String textOrFile(String value) throws IOException {
    return value.startsWith("@") ? Files.readString(Path.of(value.substring(1))) : value;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (FLAGS.contains(arg)) {
        options.put(arg, "true");
      } else if (OPTIONS.contains(arg)) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        options.put(arg, args[++i]);
      } else {
        throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    return options;
  }

  /** Prints one progress line per second to stderr. */
  private static final class Progress implements LedgerAudit.Progress {
    private final PrintStream err;
    private final long start = System.nanoTime();
    private long lastPrint;
    private String lastPass;
    private long passStart = start;

    Progress(PrintStream err) {
      this.err = err;
    }

    @Override
    public void update(String pass, long done, long total) {
      long now = System.nanoTime();
      if (!pass.equals(lastPass)) {
        lastPass = pass;
        passStart = now;
      }
      if (now - lastPrint >= 1_000_000_000L || done == total) {
        lastPrint = now;
        double seconds = Math.max(1e-9, (now - passStart) / 1e9);
        err.printf(
            "verify: %-11s %,d/%,d (%d%%), %,.0f/s%n",
            pass, done, total, total == 0 ? 100 : done * 100 / total, done / seconds);
      }
    }

    void done() {
      err.printf("verify: finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
  }
}
