package org.chartproof.ledger.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;

class SubmitterKeysTest {

  static final String KEY = HardhatNode.DEV_PRIVATE_KEYS.get(1);
  static final String ADDRESS = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

  @TempDir Path dir;

  @Test
  void fromKeystore_rightPassword_loadsTheKey() throws Exception {
    Path keystore = keystore("correct horse");

    Credentials credentials = SubmitterKeys.fromKeystore(keystore, "correct horse");

    assertThat(credentials.getAddress()).isEqualTo(ADDRESS);
  }

  @Test
  void fromKeystore_wrongPassword_invalidKeyWithoutSecrets() throws Exception {
    Path keystore = keystore("correct horse");

    assertThatThrownBy(() -> SubmitterKeys.fromKeystore(keystore, "battery staple"))
        .isInstanceOf(InvalidKeyException.class)
        .satisfies(
            e ->
                assertThat(stackTrace(e))
                    .doesNotContain("battery")
                    .doesNotContain("correct horse")
                    .doesNotContain(KEY.substring(2)));
  }

  @Test
  void fromKeystore_plainKeyInTheFile_invalidKeyWithoutQuotingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("key.txt"), KEY.substring(2) + "\n");

    assertThatThrownBy(() -> SubmitterKeys.fromKeystore(file, "x"))
        .isInstanceOf(InvalidKeyException.class)
        .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(KEY.substring(2, 20)));
  }

  @Test
  void fromKeystore_missingFile_noSuchFile() {
    assertThatThrownBy(() -> SubmitterKeys.fromKeystore(dir.resolve("absent.json"), "x"))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void fromPrivateKey_withOrWithout0x_loadsTheKey() {
    assertThat(SubmitterKeys.fromPrivateKey(KEY).getAddress()).isEqualTo(ADDRESS);
    assertThat(SubmitterKeys.fromPrivateKey(KEY.substring(2)).getAddress()).isEqualTo(ADDRESS);
    assertThat(SubmitterKeys.fromPrivateKey(" " + KEY + "\n").getAddress()).isEqualTo(ADDRESS);
  }

  @Test
  void fromPrivateKey_malformed_rejectedWithoutRepeatingIt() {
    String truncated = KEY.substring(0, 60);
    String notHex = KEY.substring(0, 60) + "zzzz";
    for (String bad : new String[] {truncated, notHex, "0x" + "0".repeat(64), "f".repeat(64)}) {
      assertThatThrownBy(() -> SubmitterKeys.fromPrivateKey(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(bad.substring(2, 40)));
    }
  }

  @Test
  void credentialsToString_doesNotContainTheKey() {
    Credentials credentials = SubmitterKeys.fromPrivateKey(KEY);

    assertThat(credentials.toString()).doesNotContain(KEY.substring(2, 20));
    assertThat(credentials.getEcKeyPair().toString()).doesNotContain(KEY.substring(2, 20));
  }

  private Path keystore(String password) throws Exception {
    String name =
        WalletUtils.generateWalletFile(
            password, SubmitterKeys.fromPrivateKey(KEY).getEcKeyPair(), dir.toFile(), false);
    return dir.resolve(name);
  }

  private static String stackTrace(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
