// Schema 3: what the sessions room keeps per user on this workstation — the offline password
// verifier with the role, wards and credential stamp from the user's last online sign-in here, the
// PIN verifier, and the count of wrong PINs in a row. Verifiers are argon2id PHC strings.
import type { Migration } from './migration.js';

export const sessionCredentialsMigration: Migration = {
  version: 3,
  name: 'session-credentials',
  up(db) {
    db.exec(`
      CREATE TABLE session_credentials (
        user_id           TEXT PRIMARY KEY,
        username          TEXT NOT NULL UNIQUE,
        role              TEXT NOT NULL CHECK (role IN ('nurse', 'physician', 'clerk', 'admin')),
        wards             TEXT NOT NULL,
        credential_stamp  TEXT NOT NULL,
        mfa_required      INTEGER NOT NULL CHECK (mfa_required IN (0, 1)),
        password_verifier TEXT NOT NULL,
        verified_at       INTEGER NOT NULL,
        pin_verifier      TEXT,
        pin_set_at        INTEGER,
        pin_failures      INTEGER NOT NULL DEFAULT 0 CHECK (pin_failures >= 0)
      ) STRICT;
    `);
  },
};
