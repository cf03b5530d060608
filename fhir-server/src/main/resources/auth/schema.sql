-- Chartproof authorization tables (H2 and PostgreSQL), created at startup if absent.
-- The id (jti) of every client assertion accepted, until it expires: a replayed assertion is
-- refused (SMART Backend Services).
CREATE TABLE IF NOT EXISTS cp_auth_assertion (
  client_id VARCHAR(200) NOT NULL,
  jti VARCHAR(200) NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (client_id, jti)
);
