// A token-signing key retired by `wardline-hub rotate-keys`: its private half is destroyed, its
// public half stays, so tokens it signed verify until they expire.
import type { HubMigration, SqlDatabase } from '../../storage/index.js';

export const signingKeyRetirement: HubMigration = {
  id: 'identity-0003-signing-key-retirement',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute('ALTER TABLE identity_signing_keys ADD COLUMN retired_at BIGINT');
  },
};
