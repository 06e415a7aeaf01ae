// The EHR's version of its copy of documentation the hub sent back: the version the EHR answered
// with for the hub's own write (so the mirror skips only that echo, and the next update names it in
// If-Match), or the version the mirror took in when the EHR changed its copy (entry state
// `received`: the hub version written from it, never sent back).
import type { HubMigration, SqlDatabase } from '../../../storage/index.js';

export const upstreamEhrVersions: HubMigration = {
  id: 'upstream-0004-ehr-versions',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute('ALTER TABLE upstream_outbox ADD COLUMN upstream_version TEXT');
    await db.execute('ALTER TABLE upstream_outbox ADD COLUMN upstream_updated TEXT');
  },
};
