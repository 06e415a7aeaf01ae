// What the privacy officer's view of the trail searches on, taken from each uploaded event's hashed
// entry (the audit-chain extension's `entry`, base64 of the entry's canonical JSON): when it
// happened, who, which patient, what action, which session and query, the outcome, and a username a
// failed sign-in tried; and the event's type and subtype codes. Filled in for the events already held. Names and MRNs are never stored here:
// the view resolves them when the trail is read.
import type { HubMigration, SqlDatabase } from '../../storage/index.js';
import { entryBodyOf, entryOf, indexOfEntry, trailIndexValues } from '../audit-entry-body.js';

const BATCH = 500;

export const trailIndexMigration: HubMigration = {
  id: 'audit-ingest-0002-trail-index',
  async up(db: SqlDatabase): Promise<void> {
    for (const column of [
      'recorded_ms BIGINT',
      'user_id TEXT',
      'patient_id TEXT',
      'action TEXT',
      'session_id TEXT',
      'query_text TEXT',
      'outcome TEXT',
      'username_tried TEXT',
      'type_code TEXT',
      'subtype_code TEXT',
    ]) {
      await db.execute(`ALTER TABLE audit_events ADD COLUMN ${column}`);
    }
    await db.execute('CREATE INDEX audit_events_by_time ON audit_events (recorded_ms)');
    await db.execute('CREATE INDEX audit_events_by_patient ON audit_events (patient_id, recorded_ms)');
    await db.execute('CREATE INDEX audit_events_by_user ON audit_events (user_id, recorded_ms)');
    let after = '';
    for (;;) {
      const rows = await db.query<{ event_id: string; resource: string }>(
        `SELECT event_id, resource FROM audit_events WHERE event_id > $1 ORDER BY event_id LIMIT ${BATCH}`,
        [after],
      );
      for (const row of rows) {
        const event = JSON.parse(row.resource) as unknown;
        const entry = entryOf(event);
        const index = indexOfEntry(entry === null ? null : entryBodyOf(entry), event);
        await db.execute(
          `UPDATE audit_events SET recorded_ms = $1, user_id = $2, patient_id = $3, action = $4, session_id = $5, query_text = $6,
             outcome = $7, username_tried = $8, type_code = $9, subtype_code = $10 WHERE event_id = $11`,
          [...trailIndexValues(index), row.event_id],
        );
      }
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < BATCH) return;
      after = last.event_id;
    }
  },
};
