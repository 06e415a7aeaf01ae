// Identity tables: staff accounts and their wards, devices and their enrollment tokens, client
// assertion ids seen (replay guard), the hub's token-signing keys, user refresh tokens.
// Portable SQL (SQLite and PostgreSQL); times are epoch milliseconds in BIGINT columns.
import type { HubMigration, SqlDatabase } from '../../storage/index.js';

const statements = [
  `CREATE TABLE identity_users (
     user_id TEXT PRIMARY KEY,
     username TEXT NOT NULL UNIQUE,
     password_hash TEXT NOT NULL,
     role TEXT NOT NULL,
     mfa_required INTEGER NOT NULL,
     totp_secret TEXT,
     totp_last_step BIGINT,
     credential_stamp TEXT NOT NULL,
     disabled INTEGER NOT NULL DEFAULT 0,
     failed_logins INTEGER NOT NULL DEFAULT 0,
     locked_until BIGINT,
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL
   )`,
  `CREATE TABLE identity_user_wards (
     user_id TEXT NOT NULL,
     ward TEXT NOT NULL,
     PRIMARY KEY (user_id, ward)
   )`,
  `CREATE INDEX identity_user_wards_by_ward ON identity_user_wards (ward)`,
  `CREATE TABLE identity_enrollment_tokens (
     token_hash TEXT PRIMARY KEY,
     ward TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL,
     used_at BIGINT,
     device_id TEXT
   )`,
  `CREATE TABLE identity_devices (
     client_id TEXT PRIMARY KEY,
     ward TEXT NOT NULL,
     public_jwk TEXT NOT NULL,
     name TEXT,
     enrolled_at BIGINT NOT NULL,
     revoked_at BIGINT
   )`,
  `CREATE TABLE identity_assertion_jtis (
     client_id TEXT NOT NULL,
     jti TEXT NOT NULL,
     expires_at BIGINT NOT NULL,
     PRIMARY KEY (client_id, jti)
   )`,
  `CREATE INDEX identity_assertion_jtis_by_expiry ON identity_assertion_jtis (expires_at)`,
  `CREATE TABLE identity_signing_keys (
     kid TEXT PRIMARY KEY,
     alg TEXT NOT NULL,
     private_jwk TEXT NOT NULL,
     public_jwk TEXT NOT NULL,
     created_at BIGINT NOT NULL
   )`,
  `CREATE TABLE identity_refresh_tokens (
     token_hash TEXT PRIMARY KEY,
     family_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     device_id TEXT NOT NULL,
     credential_stamp TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL,
     used_at BIGINT,
     revoked_at BIGINT
   )`,
  `CREATE INDEX identity_refresh_tokens_by_family ON identity_refresh_tokens (family_id)`,
  `CREATE INDEX identity_refresh_tokens_by_device ON identity_refresh_tokens (device_id)`,
  `CREATE INDEX identity_refresh_tokens_by_expiry ON identity_refresh_tokens (expires_at)`,
];

export const identityTables: HubMigration = {
  id: 'identity-0001-tables',
  async up(db: SqlDatabase): Promise<void> {
    for (const sql of statements) await db.execute(sql);
  },
};
