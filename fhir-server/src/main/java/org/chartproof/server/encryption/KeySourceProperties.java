package org.chartproof.server.encryption;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the key-encryption keys live and how they are rotated ({@code chartproof.encryption.*}; see
 * docs/keys.md). Passwords and PINs are best given as environment variables ({@code
 * CHARTPROOF_ENCRYPTION_KEYSTORE_PASSWORD}, {@code CHARTPROOF_ENCRYPTION_PKCS11_PIN}); they never
 * appear in {@link #toString()}.
 *
 * @param keySource {@code pkcs12} (default): a keystore file; {@code pkcs11}: an HSM
 * @param keystore the PKCS#12 keystore
 * @param pkcs11 the HSM
 * @param rotation online rotation of the KEK
 */
@Validated
@ConfigurationProperties("chartproof.encryption")
public record KeySourceProperties(
    @NotNull @DefaultValue("pkcs12") KeySource keySource,
    @Valid @DefaultValue Keystore keystore,
    @Valid @DefaultValue Pkcs11 pkcs11,
    @Valid @DefaultValue Rotation rotation) {

  /** Where KEKs live. */
  public enum KeySource {
    PKCS12,
    PKCS11
  }

  /**
   * A PKCS#12 keystore of AES-256 entries {@code chartproof-kek-N}.
   *
   * @param file the keystore; must exist when set. When not set, the embedded default {@code
   *     ${chartproof.storage.data-dir}/keys/kek.p12} is created on first start, with a warning
   * @param password the keystore's (and its entries') password; when not set, read from the file
   *     {@code <file>.password} beside it, which is generated (owner-only) with the embedded
   *     keystore
   */
  public record Keystore(Path file, String password) {
    @Override
    public String toString() {
      return "Keystore[file=" + file + ", password=" + (password == null ? "none" : "***") + "]";
    }
  }

  /**
   * An HSM through the JDK's SunPKCS11 provider.
   *
   * @param library the token's PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
   * @param slot the token's slot id; or
   * @param slotListIndex its index in the library's slot list (exactly one of the two)
   * @param pin the user PIN
   */
  public record Pkcs11(Path library, Long slot, Integer slotListIndex, String pin) {
    @Override
    public String toString() {
      return "Pkcs11[library="
          + library
          + ", slot="
          + slot
          + ", slotListIndex="
          + slotListIndex
          + ", pin="
          + (pin == null ? "none" : "***")
          + "]";
    }
  }

  /**
   * Online rotation ({@code /admin/keys/rotation}).
   *
   * @param batchSize data keys re-wrapped per database transaction
   * @param openWithoutAuth whether the key administration endpoints answer anyone when {@code
   *     chartproof.auth.mode=off} (for local use only); otherwise they are refused without an
   *     administrator's token
   */
  public record Rotation(
      @Min(1) @Max(10_000) @DefaultValue("200") int batchSize,
      @DefaultValue("false") boolean openWithoutAuth) {}
}
