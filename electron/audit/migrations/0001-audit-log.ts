// Audit schema 1: the hash-chained entries (append-only: triggers refuse UPDATE and DELETE), the
// search table the audit view reads (time, user, patient, action per entry: derived from the
// hashed bodies off the append path, so a durable append writes one table page and no index
// pages; verify checks it against the bodies), the upload bookkeeping (entries the hub took out
// of order; the contiguous prefix lives in audit_meta), and facts about the log (its workstation
// id, how far the search table got, the hub's answer, the last checkpoint).
import { randomUUID } from 'node:crypto';
import type { Migration } from '../../vault/index.js';

export const auditLogMigration: Migration = {
  version: 1,
  name: 'audit-log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_entries (
        sequence      INTEGER PRIMARY KEY,
        body          TEXT NOT NULL,
        previous_hash TEXT NOT NULL,
        hash          TEXT NOT NULL
      );
      CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
      CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
      CREATE TABLE audit_search (
        sequence    INTEGER PRIMARY KEY,
        recorded_ms INTEGER NOT NULL,
        user_id     TEXT,
        patient_id  TEXT,
        action      TEXT NOT NULL
      );
      CREATE INDEX audit_search_by_patient ON audit_search (patient_id, sequence) WHERE patient_id IS NOT NULL;
      CREATE INDEX audit_search_by_user ON audit_search (user_id, sequence) WHERE user_id IS NOT NULL;
      CREATE INDEX audit_search_by_time ON audit_search (recorded_ms);
      -- Entries the hub acknowledged above the contiguous prefix (normally empty: uploads go in order).
      CREATE TABLE audit_sent (
        sequence INTEGER PRIMARY KEY
      );
      CREATE TABLE audit_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);
    const meta = db.prepare('INSERT INTO audit_meta (key, value) VALUES (?, ?)');
    meta.run('workstation_id', randomUUID());
    meta.run('sent_through', '0');
    meta.run('search_through', '0');
  },
};
