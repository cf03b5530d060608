package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.chartproof.server.encryption.SealedBody.Binding;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * For tests that play an attacker who holds every key (the operator): reads and rewrites stored
 * bodies with the server's own keystore, resealing them correctly, so that only the ledger can
 * tell. Works on any copy of the database.
 */
public final class KeyHolder {

  private final KeyEncryptionKeys keks;

  private KeyHolder(KeyEncryptionKeys keks) {
    this.keks = keks;
  }

  /** The keystore a server with this {@code chartproof.storage.data-dir} made. */
  public static KeyHolder of(Path dataDir) {
    return new KeyHolder(KeySources.existingPkcs12(StoredBodyReader.embeddedKeystore(dataDir), ""));
  }

  /** The stored JSON of a version, decrypted. */
  public String read(JdbcTemplate jdbc, String type, String id, long version) {
    Map<String, Object> row = body(jdbc, type, id, version);
    Binding binding = new Binding(type, id, version, (String) row.get("key_id"));
    try {
      return new String(
          SealedBody.open(key(jdbc, binding.keyId()), binding, (byte[]) row.get("sealed")),
          StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new AssertionError("the stored body of " + binding.subject() + " does not open", e);
    }
  }

  /** Rewrites a version's stored JSON and reseals it under its own key and binding. */
  public void rewrite(
      JdbcTemplate jdbc, String type, String id, long version, UnaryOperator<String> edit) {
    String before = read(jdbc, type, id, version);
    String after = edit.apply(before);
    assertThat(after).as("the edit changes the stored JSON").isNotEqualTo(before);
    Map<String, Object> row = body(jdbc, type, id, version);
    Binding binding = new Binding(type, id, version, (String) row.get("key_id"));
    byte[] sealed =
        SealedBody.seal(
            key(jdbc, binding.keyId()),
            binding,
            after.getBytes(StandardCharsets.UTF_8),
            new SecureRandom());
    assertThat(
            jdbc.update(
                "UPDATE cp_resource_body SET sealed = ? WHERE address = ?",
                sealed,
                row.get("address")))
        .isEqualTo(1);
  }

  private static Map<String, Object> body(JdbcTemplate jdbc, String type, String id, long version) {
    String text =
        jdbc.queryForObject(
            "SELECT v.res_text_vc FROM hfj_res_ver v JOIN hfj_resource r ON r.res_id = v.res_id"
                + " WHERE r.res_type = ? AND r.fhir_id = ? AND v.res_ver = ?",
            String.class,
            type,
            id,
            version);
    assertThat(text).as("an encrypted body").startsWith(EncryptedBodies.PROVIDER_ID + ":");
    return jdbc.queryForMap(
        "SELECT address, key_id, sealed FROM cp_resource_body WHERE address = ?",
        text.substring(EncryptedBodies.PROVIDER_ID.length() + 1));
  }

  private DataKey key(JdbcTemplate jdbc, String keyId) {
    Map<String, Object> row =
        jdbc.queryForMap("SELECT kek_version, wrapped FROM cp_data_key WHERE key_id = ?", keyId);
    return new DataKey(
        keyId, keks.unwrap((String) row.get("kek_version"), (byte[]) row.get("wrapped")));
  }
}
