// Audit ingest tables: the AuditEvents devices upload (with their chain position), each device's
// highest contiguous sequence, the chain problems found, and device-signed chain checkpoints.
// Portable SQL (SQLite and PostgreSQL).
import type { HubMigration, SqlDatabase } from '../../storage/index.js';

const statements = [
  `CREATE TABLE audit_events (
     event_id TEXT PRIMARY KEY,
     device_id TEXT NOT NULL,
     sequence BIGINT NOT NULL,
     previous_hash TEXT NOT NULL,
     hash TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     resource TEXT NOT NULL,
     received_at TEXT NOT NULL
   )`,
  `CREATE INDEX audit_events_by_device_sequence ON audit_events (device_id, sequence)`,
  `CREATE TABLE audit_chain_heads (
     device_id TEXT PRIMARY KEY,
     highest_contiguous BIGINT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
  `CREATE TABLE audit_chain_flags (
     device_id TEXT NOT NULL,
     sequence BIGINT NOT NULL,
     kind TEXT NOT NULL,
     event_id TEXT NOT NULL,
     detected_at TEXT NOT NULL,
     PRIMARY KEY (device_id, sequence, kind, event_id)
   )`,
  `CREATE TABLE audit_checkpoints (
     device_id TEXT NOT NULL,
     sequence BIGINT NOT NULL,
     hash TEXT NOT NULL,
     signed_time TEXT NOT NULL,
     jws TEXT NOT NULL,
     received_at TEXT NOT NULL,
     PRIMARY KEY (device_id, sequence, hash)
   )`,
];

export const auditIngestTables: HubMigration = {
  id: 'audit-ingest-0001-tables',
  async up(db: SqlDatabase): Promise<void> {
    for (const sql of statements) await db.execute(sql);
  },
};
