-- Encrypted resource bodies (docs/encryption.md). HAPI's HFJ_RES_VER row of a version holds only
-- "cpenc:<address>" (encoding ESR); the body lives here, sealed with AES-256-GCM under the data key
-- key_id (cp_data_key). res_type, res_id and res_ver are the version the body was sealed for; they
-- and key_id are bound into the ciphertext's associated data, so a body moved to another row, or
-- a row relabelled, fails to decrypt. Inserted in the write's own transaction; never updated.
CREATE TABLE IF NOT EXISTS cp_resource_body (
  address VARCHAR(40) NOT NULL PRIMARY KEY,
  res_type VARCHAR(64) NOT NULL,
  res_id VARCHAR(64) NOT NULL,
  res_ver BIGINT NOT NULL,
  key_id VARCHAR(40) NOT NULL,
  sealed BYTEA NOT NULL
);
CREATE INDEX IF NOT EXISTS cp_resource_body_key ON cp_resource_body (key_id);
-- Shredding epoch: every destroyed data key bumps it in the destroying transaction; each server
-- instance reads it at most once per chartproof.encryption.key-recheck and, when it moved, drops
-- its cached data keys (docs/encryption.md, "Key hierarchy"). One row, id = 1.
CREATE TABLE IF NOT EXISTS cp_key_shred_epoch (
  id INT NOT NULL PRIMARY KEY,
  epoch BIGINT NOT NULL
);
