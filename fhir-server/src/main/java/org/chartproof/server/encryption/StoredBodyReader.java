package org.chartproof.server.encryption;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.chartproof.server.encryption.SealedBody.Binding;

/**
 * Decrypts stored bodies outside the server, over a plain JDBC connection: for the auditor's verify
 * command, which recomputes ledger commitments from what is stored. Stricter than the server's read
 * path: the associated data is built from the {@code HFJ_RES_VER} row that points at the body, not
 * from the body row, so a body moved to another version fails here directly.
 *
 * <p>It needs the key-encryption keys (docs/encryption.md, "Auditing encrypted storage").
 */
public final class StoredBodyReader {

  /** The text HAPI stores in {@code HFJ_RES_VER.RES_TEXT_VC} for an encrypted body. */
  public static boolean isEncrypted(String encoding, String storedText) {
    return "ESR".equals(encoding)
        && storedText != null
        && storedText.startsWith(EncryptedBodies.PROVIDER_ID + ":");
  }

  private final Connection db;
  private final Supplier<KeyEncryptionKeys> keks;
  private KeyEncryptionKeys opened;
  private final Map<String, DataKey> keys = new HashMap<>();

  private StoredBodyReader(Connection db, Supplier<KeyEncryptionKeys> keks) {
    this.db = db;
    this.keks = keks;
  }

  /**
   * A reader whose key-encryption keys come from a PKCS#12 keystore, opened at the first encrypted
   * body (a database without any needs no keystore).
   *
   * @param password the keystore password, or empty to read {@code passwordFile}
   */
  public static StoredBodyReader withKeystore(Connection db, Path keystore, String password) {
    return new StoredBodyReader(db, () -> KeySources.existingPkcs12(keystore, password));
  }

  /** Where a server with this data directory keeps its embedded keystore. */
  public static Path embeddedKeystore(Path dataDir) {
    return KeySources.embeddedFile(dataDir);
  }

  /**
   * The JSON stored for a version.
   *
   * @param storedText {@code HFJ_RES_VER.RES_TEXT_VC}: {@code cpenc:<address>}
   * @throws BodyUnreadableException if the body is missing or does not authenticate as this version
   * @throws DataKeyDestroyedException if its data key was destroyed
   * @throws KeyUnavailableException if its data key cannot be unwrapped
   * @throws IllegalStateException if the keystore cannot be opened
   */
  public String json(String type, String id, long version, String storedText) throws SQLException {
    String address = storedText.substring(EncryptedBodies.PROVIDER_ID.length() + 1);
    String keyId;
    byte[] sealed;
    try (PreparedStatement query =
        db.prepareStatement("SELECT key_id, sealed FROM cp_resource_body WHERE address = ?")) {
      query.setString(1, address);
      ResultSet row = query.executeQuery();
      if (!row.next()) {
        throw new BodyUnreadableException("its encrypted body is missing");
      }
      keyId = row.getString(1);
      sealed = row.getBytes(2);
    }
    Binding binding = new Binding(type, id, version, keyId);
    try {
      return new String(SealedBody.open(key(keyId), binding, sealed), StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new BodyUnreadableException(
          "its encrypted body does not authenticate as this version (altered, or moved)");
    }
  }

  private DataKey key(String keyId) throws SQLException {
    DataKey key = keys.get(keyId);
    if (key != null) {
      return key;
    }
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT kek_version, wrapped, destroyed_at FROM cp_data_key WHERE key_id = ?")) {
      query.setString(1, keyId);
      ResultSet row = query.executeQuery();
      if (!row.next()) {
        throw new KeyUnavailableException("its data key " + keyId + " does not exist");
      }
      if (row.getTimestamp(3) != null || row.getBytes(2) == null) {
        throw new DataKeyDestroyedException("its data key " + keyId + " was destroyed");
      }
      if (opened == null) {
        opened = keks.get();
      }
      key = new DataKey(keyId, opened.unwrap(row.getString(1), row.getBytes(2)));
    }
    keys.put(keyId, key);
    return key;
  }
}
