-- Chartproof authorization tables (H2 and PostgreSQL), created at startup if absent.
-- The id (jti) of every client assertion accepted, until it expires: a replayed assertion is
-- refused (SMART Backend Services).
CREATE TABLE IF NOT EXISTS cp_auth_assertion (
  client_id VARCHAR(200) NOT NULL,
  jti VARCHAR(200) NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (client_id, jti)
);
-- SMART launch contexts: the patient an app is launched for (EHR launch, or the patient picker of
-- a standalone launch), named by an opaque id the app passes as the authorize request's "launch"
-- parameter. Bound to one user when bound_user is set; useless after expires_at.
CREATE TABLE IF NOT EXISTS cp_auth_launch (
  id VARCHAR(64) PRIMARY KEY,
  patient VARCHAR(64) NOT NULL,
  bound_user VARCHAR(200),
  expires_at BIGINT NOT NULL
);
-- Spring Authorization Server's record of authorization-code grants: codes until they are
-- exchanged, refresh tokens until they expire (client_credentials grants are not kept). Its table
-- name and columns are Spring's (oauth2-authorization-schema.sql), with text as VARCHAR and
-- instants WITH TIME ZONE so that one definition serves H2 and PostgreSQL. Refresh tokens go only
-- to confidential apps, which must also sign with their private key to use one.
CREATE TABLE IF NOT EXISTS oauth2_authorization (
  id VARCHAR(100) NOT NULL,
  registered_client_id VARCHAR(100) NOT NULL,
  principal_name VARCHAR(200) NOT NULL,
  authorization_grant_type VARCHAR(100) NOT NULL,
  authorized_scopes VARCHAR(1000) DEFAULT NULL,
  attributes VARCHAR(65535) DEFAULT NULL,
  state VARCHAR(500) DEFAULT NULL,
  authorization_code_value VARCHAR(4000) DEFAULT NULL,
  authorization_code_issued_at TIMESTAMP WITH TIME ZONE DEFAULT NULL,
  authorization_code_expires_at TIMESTAMP WITH TIME ZONE DEFAULT NULL,
  authorization_code_metadata VARCHAR(65535) DEFAULT NULL,
  access_token_value VARCHAR(65535) DEFAULT NULL,
  access_token_issued_at TIMESTAMP WITH TIME ZONE DEFAULT NULL,
  access_token_expires_at TIMESTAMP WITH TIME ZONE DEFAULT NULL,
  access_token_metadata VARCHAR(65535) DEFAULT NULL,
  access_token_type VARCHAR(100) DEFAULT NULL,
  access_token_scopes VARCHAR(1000) DEFAULT NULL,
  oidc_id_token_value VARCHAR(65535) DEFAULT NULL,
  oidc_id_token_issued_at TIMESTAMP WITH TIME ZONE DEFAULT NULL,
  oidc_id_token_expires_at TIMESTAMP WITH TIME ZONE DEFAULT NULL,
  oidc_id_token_metadata VARCHAR(65535) DEFAULT NULL,
  refresh_token_value VARCHAR(4000) DEFAULT NULL,
  refresh_token_issued_at TIMESTAMP WITH TIME ZONE DEFAULT NULL,
  refresh_token_expires_at TIMESTAMP WITH TIME ZONE DEFAULT NULL,
  refresh_token_metadata VARCHAR(65535) DEFAULT NULL,
  user_code_value VARCHAR(4000) DEFAULT NULL,
  user_code_issued_at TIMESTAMP WITH TIME ZONE DEFAULT NULL,
  user_code_expires_at TIMESTAMP WITH TIME ZONE DEFAULT NULL,
  user_code_metadata VARCHAR(65535) DEFAULT NULL,
  device_code_value VARCHAR(4000) DEFAULT NULL,
  device_code_issued_at TIMESTAMP WITH TIME ZONE DEFAULT NULL,
  device_code_expires_at TIMESTAMP WITH TIME ZONE DEFAULT NULL,
  device_code_metadata VARCHAR(65535) DEFAULT NULL,
  PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS oauth2_authorization_code ON oauth2_authorization (authorization_code_value);
CREATE INDEX IF NOT EXISTS oauth2_authorization_refresh ON oauth2_authorization (refresh_token_value);
