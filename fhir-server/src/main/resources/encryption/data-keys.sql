-- Per-compartment data keys (docs/encryption.md), wrapped by a key-encryption key version.
-- compartment: 'Patient/{id}' for a patient's compartment, 'system' for resources outside any.
-- key_id: a random identifier of this data key, bound into every ciphertext's associated data.
-- kek_version: the KeyEncryptionKeys version that wrapped it; rotation rewrites wrapped and kek_version.
-- A destroyed (crypto-shredded) key is a row whose wrapped is NULL and destroyed_at is set.
CREATE TABLE IF NOT EXISTS cp_data_key (
  compartment VARCHAR(100) NOT NULL PRIMARY KEY,
  key_id VARCHAR(40) NOT NULL UNIQUE,
  kek_version VARCHAR(64),
  wrapped BYTEA,
  created_at TIMESTAMP NOT NULL,
  destroyed_at TIMESTAMP
);
CREATE INDEX IF NOT EXISTS cp_data_key_kek ON cp_data_key (kek_version);
