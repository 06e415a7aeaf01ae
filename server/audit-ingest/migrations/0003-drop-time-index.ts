// The plain time index of the uploaded events (audit_events_by_time, on recorded_ms) answered no
// query: the trail reads and pages them by COALESCE(recorded_ms, 0) and event_id, which has its own
// index (audit_events_page, server/audit-trail). Every upload paid for keeping it; it is dropped.
import type { HubMigration, SqlDatabase } from '../../storage/index.js';

export const dropTimeIndexMigration: HubMigration = {
  id: 'audit-ingest-0003-drop-time-index',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute('DROP INDEX IF EXISTS audit_events_by_time');
  },
};
