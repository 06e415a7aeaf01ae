// Schema 7: the last TOTP time step accepted for each user at an offline sign-in here (or matched
// at an online sign-in with a code here), so a code seen over a shoulder or replayed cannot sign
// the user in again on this workstation within its validity window, even after a restart. Null
// until a code is accepted.
import type { Migration } from './migration.js';

export const offlineTotpLastStepMigration: Migration = {
  version: 7,
  name: 'offline-totp-last-step',
  up(db) {
    db.exec('ALTER TABLE session_credentials ADD COLUMN totp_last_step INTEGER');
  },
};
