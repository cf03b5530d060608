package org.chartproof.server.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.chartproof.ledger.note.NoteSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the log's Ed25519 signing key from its file, creating one on first start. The key bytes
 * never leave this class except into the {@link NoteSigner}.
 */
final class LogSigningKey {
  private static final Logger log = LoggerFactory.getLogger(LogSigningKey.class);
  private static final int SEED_SIZE = 32;

  private LogSigningKey() {}

  /**
   * @throws IllegalStateException if the file exists but does not hold a base64 32-byte seed, or
   *     cannot be read or created; the message names the file, never its content
   */
  static NoteSigner load(String keyName, Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
        log.warn(
            "Created a new ledger signing key at {}. Production deployments must supply their own"
                + " key (chartproof.ledger.signing-key-file), kept in a safe place: whoever holds"
                + " it can sign checkpoints for this log.",
            file.toAbsolutePath());
      }
      byte[] seed = Base64.getDecoder().decode(Files.readString(file).trim());
      try {
        if (seed.length != SEED_SIZE) {
          throw new IllegalStateException(
              "Ledger signing key file " + file + " must hold a base64-encoded 32-byte seed");
        }
        return NoteSigner.fromSeed(keyName, seed);
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "Cannot load the ledger signing key from " + file + ": " + e.getClass().getSimpleName());
    }
  }

  private static void create(Path file) throws IOException {
    byte[] seed = new byte[SEED_SIZE];
    new SecureRandom().nextBytes(seed);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".ledger-key", ".tmp");
    try {
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(tmp, Base64.getEncoder().encodeToString(seed) + "\n");
      // atomic: a crash never leaves a half-written key that a restart would reject
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Arrays.fill(seed, (byte) 0);
      Files.deleteIfExists(tmp);
    }
  }
}
