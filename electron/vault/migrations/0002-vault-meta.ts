// Schema 2: facts about the vault itself (its ward, when it was created) and the sync checkpoints
// (per resource type, the hub's time of the last incremental pull), so a sync resumes where it stopped.
import type { Migration } from './migration.js';

export const vaultMetaMigration: Migration = {
  version: 2,
  name: 'vault-meta',
  up(db) {
    db.exec(`
      CREATE TABLE vault_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE sync_checkpoints (
        resource_type TEXT PRIMARY KEY,
        since         TEXT NOT NULL
      );
    `);
  },
};
