package org.chartproof.server.encryption;

import java.util.List;

/**
 * The key-encryption keys (KEKs) that wrap the per-patient data keys (envelope encryption). KEKs
 * live in a keystore: a PKCS#12 file (the embedded default) or an HSM over PKCS#11. Their material
 * never leaves the implementation: callers see version names and wrapped bytes only, and no message
 * or log line carries key bytes.
 *
 * <p>Each KEK has a version name (for example {@code kek-1}); exactly one, the active version,
 * wraps new data keys. Rotation creates a new active version, re-wraps every data key under it, and
 * then retires the old one. A data key records the version it is wrapped under, so data keys
 * wrapped under any non-retired version stay readable while a rotation runs.
 */
public interface KeyEncryptionKeys {

  /** The version that {@link #wrap} uses. */
  String activeVersion();

  /**
   * Wraps a data key under the active version.
   *
   * @param dataKey the raw data key (32 bytes for AES-256); not retained
   * @return the wrapped key, opaque; store it together with {@link #activeVersion()}
   */
  byte[] wrap(byte[] dataKey);

  /**
   * Unwraps a data key wrapped under {@code version}.
   *
   * @return the raw data key; the caller wipes it when done
   * @throws KeyUnavailableException if the version is unknown or retired, or the wrapped bytes do
   *     not authenticate under it
   */
  byte[] unwrap(String version, byte[] wrapped);

  /** Creates a new KEK version and makes it the active one; returns its name. */
  String createVersion();

  /**
   * Destroys a version that is no longer active. Data keys still wrapped under it become
   * unreadable: rotate them first.
   *
   * @throws IllegalStateException if {@code version} is the active version
   */
  void retire(String version);

  /** The versions that exist and are not retired, oldest first. */
  List<String> versions();
}
