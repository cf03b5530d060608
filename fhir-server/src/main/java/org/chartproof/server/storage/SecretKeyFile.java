package org.chartproof.server.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret in a file (base64), created on first start: by default 32 random bytes, or whatever
 * encoded key a generator makes (an RSA private key in PKCS#8, for example). The bytes never leave
 * this class except into the function that turns them into a key object, and are wiped afterwards;
 * messages name the file, never its content.
 */
public final class SecretKeyFile {
  private static final Logger log = LoggerFactory.getLogger(SecretKeyFile.class);
  static final int SIZE = 32;

  private SecretKeyFile() {}

  /**
   * Loads a 32-byte random secret, creating the file on first start.
   *
   * @param purpose what the key is for, for messages ("ledger signing key")
   * @param setting the configuration key naming the file, for messages
   * @throws IllegalStateException if the file cannot be read or created, or does not hold a
   *     base64-encoded 32-byte value
   */
  public static <K> K load(Path file, String purpose, String setting, Function<byte[], K> toKey) {
    return load(file, purpose, setting, SecretKeyFile::random, of32Bytes(file, purpose, toKey));
  }

  /**
   * Loads a secret, creating the file with {@code generate}'s bytes on first start.
   *
   * @param toKey turns the bytes into a key; throws {@link IllegalArgumentException} if they do not
   *     hold one
   * @throws IllegalStateException if the file cannot be read or created, or does not hold a key
   */
  public static <K> K load(
      Path file,
      String purpose,
      String setting,
      Supplier<byte[]> generate,
      Function<byte[], K> toKey) {
    try {
      if (!Files.exists(file)) {
        create(file, generate.get());
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
    return decode(file, purpose, toKey);
  }

  /**
   * Reads an existing file holding a 32-byte secret; never creates one.
   *
   * @throws IllegalStateException if the file cannot be read or does not hold a base64-encoded
   *     32-byte value
   */
  public static <K> K read(Path file, String purpose, Function<byte[], K> toKey) {
    return decode(file, purpose, of32Bytes(file, purpose, toKey));
  }

  private static <K> K decode(Path file, String purpose, Function<byte[], K> toKey) {
    try {
      byte[] secret = Base64.getDecoder().decode(Files.readString(file).trim());
      try {
        return toKey.apply(secret);
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "Cannot load the " + purpose + " from " + file + ": " + e.getClass().getSimpleName());
    }
  }

  private static <K> Function<byte[], K> of32Bytes(
      Path file, String purpose, Function<byte[], K> toKey) {
    return secret -> {
      if (secret.length != SIZE) {
        throw new IllegalStateException(
            "The " + purpose + " file " + file + " must hold a base64-encoded 32-byte value");
      }
      return toKey.apply(secret);
    };
  }

  private static byte[] random() {
    byte[] secret = new byte[SIZE];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  private static void create(Path file, byte[] secret) throws IOException {
    try {
      writePrivately(file, Base64.getEncoder().encodeToString(secret) + "\n");
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /**
   * Writes {@code content} to {@code file} readable by its owner only, atomically: a crash never
   * leaves a half-written file that a restart would reject.
   */
  public static void writePrivately(Path file, String content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".key", ".tmp");
    try {
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(tmp, content);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
