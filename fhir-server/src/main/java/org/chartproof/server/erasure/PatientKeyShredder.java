package org.chartproof.server.erasure;

/**
 * Destroys the key material that makes a patient's stored resource bodies readable
 * (crypto-shredding). Implemented by the encryption package; {@code Patient/{id}/$erase} calls it.
 */
public interface PatientKeyShredder {

  /**
   * Destroys the data key of the compartment of {@code Patient/{patientId}} on every server
   * instance sharing the database, inside the caller's transaction. Afterwards every stored version
   * encrypted under it fails to decrypt with {@link
   * org.chartproof.server.encryption.KeyUnavailableException} (a subclass that says "destroyed" may
   * be thrown). Idempotent.
   *
   * @param patientId the id part, e.g. {@code 123}
   */
  void destroyPatientKey(String patientId);
}
