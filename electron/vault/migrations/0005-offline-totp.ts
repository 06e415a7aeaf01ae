// Schema 5: the TOTP secret of an account that requires a second factor, as the hub handed it over
// at the user's last online sign-in with a code here (null for other accounts, and for records
// from before this version: such a user signs in online once before an offline sign-in works).
import type { Migration } from './migration.js';

export const offlineTotpMigration: Migration = {
  version: 5,
  name: 'offline-totp',
  up(db) {
    db.exec('ALTER TABLE session_credentials ADD COLUMN totp_secret TEXT');
  },
};
