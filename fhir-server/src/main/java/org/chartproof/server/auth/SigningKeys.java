package org.chartproof.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.chartproof.server.storage.SecretKeyFile;

/**
 * The embedded authorization server's token signing key: RSA 2048, RS256 (the algorithm every
 * OpenID Connect client must accept), kept as PKCS#8 in a file and created on first start.
 */
final class SigningKeys {

  private SigningKeys() {}

  static RSAKey load(Path file) {
    return SecretKeyFile.load(
        file,
        "authorization server signing key",
        "chartproof.auth.signing-key-file",
        SigningKeys::generate,
        SigningKeys::tokenSigningKey);
  }

  /** A new RSA 2048 private key, in PKCS#8. */
  static byte[] generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair().getPrivate().getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate an RSA key", e);
    }
  }

  private static RSAKey tokenSigningKey(byte[] pkcs8) {
    try {
      return fromPkcs8(pkcs8).algorithm(JWSAlgorithm.RS256).keyIDFromThumbprint().build();
    } catch (JOSEException e) {
      throw new IllegalArgumentException("not an RSA private key in PKCS#8");
    }
  }

  /**
   * A signing key from an RSA private key in PKCS#8, its public half derived from it; the caller
   * names its algorithm and key id.
   *
   * @throws IllegalArgumentException if the bytes hold no RSA private key (the message never
   *     carries key material; the caller names the file)
   */
  static RSAKey.Builder fromPkcs8(byte[] pkcs8) {
    try {
      KeyFactory factory = KeyFactory.getInstance("RSA");
      RSAPrivateCrtKey secret =
          (RSAPrivateCrtKey) factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      RSAPublicKey open =
          (RSAPublicKey)
              factory.generatePublic(
                  new RSAPublicKeySpec(secret.getModulus(), secret.getPublicExponent()));
      return new RSAKey.Builder(open).privateKey(secret).keyUse(KeyUse.SIGNATURE);
    } catch (GeneralSecurityException | ClassCastException e) {
      // the caller names the file; the message never carries key material
      throw new IllegalArgumentException("not an RSA private key in PKCS#8");
    }
  }
}
