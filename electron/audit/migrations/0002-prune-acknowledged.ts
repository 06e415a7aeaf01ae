// Audit schema 2: retention. Entries the hub has acknowledged may be pruned once the policy's
// retention period has passed; everything else stays append-only. The delete trigger now refuses
// any entry above `pruned_through` (audit_meta), which the pruner raises, together with the hash of
// the last pruned entry (`pruned_hash`: the anchor the remaining chain is verified from), in the
// same transaction as the delete.
import type { Migration } from '../../vault/index.js';

export const pruneAcknowledgedMigration: Migration = {
  version: 2,
  name: 'prune-acknowledged',
  up(db) {
    db.exec(`
      DROP TRIGGER audit_entries_no_delete;
      CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
        WHEN OLD.sequence > CAST(COALESCE((SELECT value FROM audit_meta WHERE key = 'pruned_through'), '0') AS INTEGER)
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only until the hub holds them and their retention has passed'); END;
    `);
  },
};
