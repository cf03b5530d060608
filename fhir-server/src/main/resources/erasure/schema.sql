-- Erasures on request (Patient/{id}/$erase, docs/erasure.md). Created at startup if absent.
-- cp_erasure: one row per erased patient; erase_entry is the leaf hash (hex) of the ledger's
-- ERASE entry (NULL with the ledger off); erased_versions counts the entries whose salts were
-- destroyed. cp_erased_resource: every resource the erasure deleted, so that reads answer
-- 410 "erased on request" and writes cannot bring it back. Only ids are kept, no content.
CREATE TABLE IF NOT EXISTS cp_erasure (
  patient_id VARCHAR(64) NOT NULL PRIMARY KEY,
  erased_at BIGINT NOT NULL,
  erase_entry VARCHAR(64),
  resources INT NOT NULL,
  erased_versions INT NOT NULL,
  key_destroyed BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS cp_erased_resource (
  res_type VARCHAR(64) NOT NULL,
  res_id VARCHAR(64) NOT NULL,
  patient_id VARCHAR(64) NOT NULL,
  PRIMARY KEY (res_type, res_id)
);
