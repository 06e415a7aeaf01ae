// Search tokens keyed by the version they index: each fhir_tokens row records the `seq` of the
// current version it was computed from, and the next write of that resource deletes its tokens by
// that one number. The index on (res_type, res_id), used only for that deletion, is dropped: its
// entries land at random places (resource ids are random) and a bulk write rewrote most of its
// pages at every commit, while the index on seq only ever grows at its end. Tokens already stored
// get the seq of their resource's current row; a token whose resource has no row (none should
// exist: a deletion removes its tokens) indexes nothing and is removed.
import type { SqlDatabase } from '../../../storage/index.js';

export const tokenVersionMigration = {
  id: 'fhir-0008-token-version',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute('ALTER TABLE fhir_tokens ADD COLUMN seq BIGINT');
    await db.execute(
      `UPDATE fhir_tokens SET seq = (SELECT r.seq FROM fhir_resources r
         WHERE r.res_type = fhir_tokens.res_type AND r.res_id = fhir_tokens.res_id AND r.deleted = 0)`,
    );
    await db.execute('DELETE FROM fhir_tokens WHERE seq IS NULL');
    await db.execute('CREATE INDEX fhir_tokens_version ON fhir_tokens (seq)');
    await db.execute('DROP INDEX fhir_tokens_owner');
  },
};
