// The hub's record of the privacy officer's own reading of the trail (audit_trail_views: each search
// of GET /fhir/AuditEvent and each `wardline-hub audit export`, who, when, and the filters as ids,
// never a patient's name or MRN), and the indexes the trail is paged by: each source newest first by
// (time, id), so a page reads about a page of rows from each source, whatever the period.
import type { HubMigration, SqlDatabase } from '../../storage/index.js';
import { hubActionsMigration } from './0002-hub-actions.js';

export const trailViewsMigration: HubMigration = {
  id: 'audit-trail-0001-views-and-paging',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute(`CREATE TABLE audit_trail_views (
       id TEXT PRIMARY KEY,
       at BIGINT NOT NULL,
       kind TEXT NOT NULL,
       device_id TEXT,
       user_id TEXT,
       os_user TEXT,
       filter TEXT NOT NULL
     )`);
    await db.execute('CREATE INDEX audit_trail_views_page ON audit_trail_views (at, id)');
    // The uploaded events' time is COALESCE(recorded_ms, 0) in the trail: indexed as that expression.
    await db.execute('CREATE INDEX audit_events_page ON audit_events ((COALESCE(recorded_ms, 0)), event_id)');
    await db.execute('CREATE INDEX hub_access_log_page ON hub_access_log (at, id)');
    await db.execute('CREATE INDEX identity_sign_ins_page ON identity_sign_ins (at, id)');
  },
};

export const auditTrailMigrations: readonly HubMigration[] = [trailViewsMigration, hubActionsMigration];
