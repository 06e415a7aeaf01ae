// Documentation IT settled by hand (`wardline-hub upstream close`): who closed the outbox entry
// (the operating-system account that ran the command), when, and why. The entry keeps its row,
// state `closed`, and its earlier reason: nothing is dropped.
import type { HubMigration, SqlDatabase } from '../../../storage/index.js';

export const upstreamClosedByIt: HubMigration = {
  id: 'upstream-0003-closed-by-it',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute('ALTER TABLE upstream_outbox ADD COLUMN closed_by TEXT');
    await db.execute('ALTER TABLE upstream_outbox ADD COLUMN closed_at TEXT');
    await db.execute('ALTER TABLE upstream_outbox ADD COLUMN close_reason TEXT');
  },
};
