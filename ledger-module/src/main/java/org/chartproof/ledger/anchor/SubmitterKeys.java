package org.chartproof.ledger.anchor;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.regex.Pattern;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;

/**
 * Loads a submitter's signing key. Secrets are loud: no message of an exception thrown here, nor of
 * its causes, contains the key or the password, and nothing is logged.
 */
public final class SubmitterKeys {

  private static final Pattern PRIVATE_KEY_HEX = Pattern.compile("(0x)?[0-9a-fA-F]{64}");

  private SubmitterKeys() {}

  /**
   * Decrypts a Web3 secret storage file (the encrypted JSON keystore that geth, Besu and web3j
   * write).
   *
   * @throws NoSuchFileException if there is no such file
   * @throws IOException if it cannot be read
   * @throws InvalidKeyException if the password is wrong or the file is not a keystore
   * @see <a
   *     href="https://ethereum.org/en/developers/docs/data-structures-and-encoding/web3-secret-storage/">Web3
   *     secret storage</a>
   */
  public static Credentials fromKeystore(Path keystore, String password)
      throws IOException, InvalidKeyException {
    if (!Files.isReadable(keystore)) {
      throw Files.exists(keystore)
          ? new IOException("cannot read keystore " + keystore)
          : new NoSuchFileException(keystore.toString());
    }
    try {
      return WalletUtils.loadCredentials(password, keystore.toFile());
    } catch (CipherException e) {
      throw new InvalidKeyException("cannot decrypt keystore " + keystore + ": wrong password?");
    } catch (IOException | RuntimeException e) {
      // No cause: a parser's message may quote the file, and a misplaced plain key with it.
      throw new InvalidKeyException(
          "keystore " + keystore + " is not a Web3 secret storage JSON file");
    }
  }

  /**
   * Reads a raw secp256k1 private key given as 64 hex digits, with or without {@code 0x}, for keys
   * passed in through the environment.
   *
   * @throws IllegalArgumentException if it is not such a key (the message does not repeat it)
   */
  public static Credentials fromPrivateKey(String hex) {
    if (hex == null || !PRIVATE_KEY_HEX.matcher(hex.strip()).matches()) {
      throw new IllegalArgumentException(
          "a private key must be 64 hex digits, optionally after 0x");
    }
    String digits = hex.strip();
    BigInteger key = new BigInteger(digits.startsWith("0x") ? digits.substring(2) : digits, 16);
    if (key.signum() == 0 || key.compareTo(Sign.CURVE_PARAMS.getN()) >= 0) {
      throw new IllegalArgumentException("not a valid secp256k1 private key (out of range)");
    }
    return Credentials.create(ECKeyPair.create(key));
  }
}
