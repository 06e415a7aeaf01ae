// ADT feed tables: the feeds allowed to send (their secret's hash, bound to a sending application and
// facility), the messages already applied (the duplicate keys, kept for days), and the time of the
// last event applied per patient (the per-patient order). Portable SQL (SQLite and PostgreSQL).
import type { HubMigration, SqlDatabase } from '../../../storage/index.js';

const statements = [
  `CREATE TABLE adt_feeds (
     name TEXT PRIMARY KEY,
     application TEXT NOT NULL,
     facility TEXT NOT NULL,
     secret_hash TEXT NOT NULL,
     created_at TEXT NOT NULL,
     revoked_at TEXT
   )`,
  `CREATE INDEX adt_feeds_by_sender ON adt_feeds (application, facility)`,
  `CREATE TABLE adt_messages (
     application TEXT NOT NULL,
     facility TEXT NOT NULL,
     control_id TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     event TEXT NOT NULL,
     received_ms BIGINT NOT NULL,
     PRIMARY KEY (application, facility, control_id, content_hash)
   )`,
  `CREATE INDEX adt_messages_by_age ON adt_messages (received_ms)`,
  `CREATE TABLE adt_patient_order (
     patient_id TEXT PRIMARY KEY,
     last_event_ms BIGINT NOT NULL
   )`,
];

export const adtFeedTables: HubMigration = {
  id: 'integration-adt-0001-feed',
  async up(db: SqlDatabase): Promise<void> {
    for (const sql of statements) await db.execute(sql);
  },
};
