// The mirror's leader lease (one row: which hub process runs the mirror and the write-back, until
// when) and, per ward, when the mirror last looked for charts deleted upstream.
import type { HubMigration, SqlDatabase } from '../../../storage/index.js';

export const upstreamLeaseAndSweeps: HubMigration = {
  id: 'upstream-0002-lease-and-sweeps',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute(`CREATE TABLE upstream_lease (
      id INTEGER PRIMARY KEY, holder TEXT NOT NULL, expires_ms BIGINT NOT NULL, acquired_at TEXT)`);
    await db.execute(`INSERT INTO upstream_lease (id, holder, expires_ms) VALUES (1, '', 0)`);
    await db.execute('CREATE TABLE upstream_sweeps (ward TEXT PRIMARY KEY, swept_ms BIGINT NOT NULL)');
  },
};
