package org.chartproof.server.encryption;

import org.chartproof.server.erasure.PatientKeyShredder;

/** Crypto-shredding: destroys a patient's data key in {@code cp_data_key} ({@link DataKeys}). */
final class KeyShredder implements PatientKeyShredder {

  private final DataKeys keys;

  KeyShredder(DataKeys keys) {
    this.keys = keys;
  }

  @Override
  public void destroyPatientKey(String patientId) {
    if (patientId == null || patientId.isBlank() || patientId.contains("/")) {
      throw new IllegalArgumentException("a patient id, e.g. 123, not " + patientId);
    }
    keys.destroy(Compartments.patient(patientId));
  }
}
