// The hub's own record of sign-ins at /auth/login, for the privacy officer's view of the trail:
// when, from which workstation, the account (when the name was known) and, for a refused sign-in,
// the username that was tried and the reason code.
import type { HubMigration, SqlDatabase } from '../../storage/index.js';

export const signInLogMigration: HubMigration = {
  id: 'identity-0004-sign-in-log',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute(`CREATE TABLE identity_sign_ins (
       id TEXT PRIMARY KEY,
       at BIGINT NOT NULL,
       device_id TEXT NOT NULL,
       user_id TEXT,
       username_tried TEXT NOT NULL,
       succeeded INTEGER NOT NULL,
       code TEXT
     )`);
    await db.execute('CREATE INDEX identity_sign_ins_at ON identity_sign_ins (at)');
  },
};
