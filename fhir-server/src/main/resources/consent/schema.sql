-- Chartproof consent tables (H2 and PostgreSQL). Created at startup if absent; see
-- docs/adr/0007-consent-enforcement.md.
-- Every Consent write (create, update, delete, in any transaction) bumps the one epoch row and
-- stamps its patient with the new epoch, inside the write's own database transaction. The epoch
-- row's lock orders Consent writes, so epochs grow in commit order. A server instance takes the
-- epoch it knows for each request (kept fresh by its lease below, else read per request); its
-- cached Consents of a patient stay valid while no write committed since they were loaded stamped
-- that patient.
CREATE TABLE IF NOT EXISTS cp_consent_epoch (
  id INT PRIMARY KEY,
  epoch BIGINT NOT NULL
);
INSERT INTO cp_consent_epoch (id, epoch) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM cp_consent_epoch);
CREATE TABLE IF NOT EXISTS cp_consent_patient (
  patient_id VARCHAR(64) PRIMARY KEY,
  epoch BIGINT NOT NULL
);
-- The instances that keep the epoch in memory instead of reading it per request (EpochLease): the
-- newest epoch each has seen, and a heartbeat count. A Consent write answers only once every
-- instance here has seen its epoch or has not beaten for longer than its lease.
CREATE TABLE IF NOT EXISTS cp_consent_instance (
  instance_id VARCHAR(64) PRIMARY KEY,
  seen_epoch BIGINT NOT NULL,
  beat BIGINT NOT NULL
);
