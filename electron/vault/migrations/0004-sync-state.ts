// Schema 4: what the sync engine keeps beside the resources. The enrollment (hub URL, pin, client
// id, ward), each cached patient's initial-load state, the history walk in progress per resource
// type (its next link), tombstones of deletions applied during such a walk, the outbox of local
// documentation waiting for the hub, and the conflicts the hub refused.
import type { Migration } from './migration.js';

export const syncStateMigration: Migration = {
  version: 4,
  name: 'sync-state',
  up(db) {
    db.exec(`
      CREATE TABLE sync_enrollment (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        hub_url     TEXT NOT NULL,
        pin         TEXT NOT NULL,
        client_id   TEXT NOT NULL,
        ward        TEXT NOT NULL,
        token_url   TEXT NOT NULL,
        enrolled_at TEXT NOT NULL
      );
      -- One row per patient the workstation caches: 'loading' while $everything is being walked
      -- (next_url: the page to fetch next), 'loaded' afterwards; data_as_of: the workstation time
      -- of the last sync that brought this patient up to date.
      CREATE TABLE sync_patients (
        patient_id TEXT PRIMARY KEY,
        load_state TEXT NOT NULL CHECK (load_state IN ('loading', 'loaded')),
        next_url   TEXT,
        data_as_of TEXT
      );
      -- A history walk (newest first) that has not reached its last page yet.
      CREATE TABLE sync_walks (
        resource_type TEXT PRIMARY KEY,
        next_url      TEXT NOT NULL
      );
      -- Deletions applied during the walk in progress, so an older version on a later page is not
      -- brought back after a crash.
      CREATE TABLE sync_tombstones (
        resource_type TEXT NOT NULL,
        resource_id   TEXT NOT NULL,
        version       INTEGER NOT NULL,
        PRIMARY KEY (resource_type, resource_id)
      );
      CREATE TABLE sync_outbox (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        entry_id        TEXT NOT NULL UNIQUE,
        patient_id      TEXT NOT NULL,
        items_json      TEXT NOT NULL,
        provenance_json TEXT,
        created_at      TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT
      );
      CREATE INDEX sync_outbox_by_patient ON sync_outbox (patient_id);
      CREATE TABLE sync_conflicts (
        conflict_id TEXT PRIMARY KEY,
        entry_id    TEXT NOT NULL,
        patient_id  TEXT NOT NULL,
        reason      TEXT NOT NULL,
        error_code  TEXT,
        local_json  TEXT NOT NULL,
        hub_json    TEXT NOT NULL,
        detected_at TEXT NOT NULL
      );
    `);
  },
};
