package org.chartproof.server.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 32-byte secret in a file (base64), created with a random value on first start. The bytes never
 * leave this class except into the function that turns them into a key object, and are wiped
 * afterwards; messages name the file, never its content.
 */
final class SecretKeyFile {
  private static final Logger log = LoggerFactory.getLogger(SecretKeyFile.class);
  static final int SIZE = 32;

  private SecretKeyFile() {}

  /**
   * @param purpose what the key is for, for messages ("ledger signing key")
   * @param setting the configuration key naming the file, for messages
   * @throws IllegalStateException if the file cannot be read or created, or does not hold a
   *     base64-encoded 32-byte value
   */
  static <K> K load(Path file, String purpose, String setting, Function<byte[], K> toKey) {
    try {
      if (!Files.exists(file)) {
        create(file);
        log.warn(
            "Created a new {} at {}. Production deployments must supply their own ({}) and keep"
                + " it safe.",
            purpose,
            file.toAbsolutePath(),
            setting);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot create the " + purpose + " at " + file + ": " + e.getClass().getSimpleName());
    }
    return read(file, purpose, toKey);
  }

  /**
   * Reads an existing key file; never creates one.
   *
   * @throws IllegalStateException if the file cannot be read or does not hold a base64-encoded
   *     32-byte value
   */
  static <K> K read(Path file, String purpose, Function<byte[], K> toKey) {
    try {
      byte[] secret = Base64.getDecoder().decode(Files.readString(file).trim());
      try {
        if (secret.length != SIZE) {
          throw new IllegalStateException(
              "The " + purpose + " file " + file + " must hold a base64-encoded 32-byte value");
        }
        return toKey.apply(secret);
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "Cannot load the " + purpose + " from " + file + ": " + e.getClass().getSimpleName());
    }
  }

  private static void create(Path file) throws IOException {
    byte[] secret = new byte[SIZE];
    new SecureRandom().nextBytes(secret);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".key", ".tmp");
    try {
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(tmp, Base64.getEncoder().encodeToString(secret) + "\n");
      // atomic: a crash never leaves a half-written key that a restart would reject
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Arrays.fill(secret, (byte) 0);
      Files.deleteIfExists(tmp);
    }
  }
}
