// The upstream mirror's tables: a cursor per ward and resource type (the upstream's _lastUpdated
// reached), the patients each ward mirrors (and where their cache window opens), the state of each
// activity for `wardline-hub upstream status`, and the durable outbox of documentation sent back.
import type { HubMigration, SqlDatabase } from '../../../storage/index.js';
import { upstreamLeaseAndSweeps } from './0002-lease-and-sweeps.js';
import { upstreamClosedByIt } from './0003-closed-by-it.js';
import { upstreamEhrVersions } from './0004-ehr-versions.js';

export const upstreamTables: HubMigration = {
  id: 'upstream-0001-mirror-and-outbox',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute(`CREATE TABLE upstream_cursors (
      ward TEXT NOT NULL, res_type TEXT NOT NULL, last_updated TEXT NOT NULL, PRIMARY KEY (ward, res_type))`);
    await db.execute(`CREATE TABLE upstream_patients (
      ward TEXT NOT NULL, patient_id TEXT NOT NULL, window_start_ms BIGINT NOT NULL, pulled_at TEXT NOT NULL,
      PRIMARY KEY (ward, patient_id))`);
    await db.execute(`CREATE TABLE upstream_status (
      activity TEXT PRIMARY KEY, last_attempt_at TEXT, last_success_at TEXT, last_error_at TEXT, last_error TEXT,
      failures INTEGER NOT NULL DEFAULT 0, resources_written BIGINT NOT NULL DEFAULT 0)`);
    await db.execute(`CREATE TABLE upstream_outbox (
      seq BIGINT PRIMARY KEY, res_type TEXT NOT NULL, res_id TEXT NOT NULL, version INTEGER NOT NULL,
      state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_ms BIGINT NOT NULL DEFAULT 0,
      reason TEXT, upstream_ref TEXT, queued_at TEXT NOT NULL, settled_at TEXT)`);
    await db.execute('CREATE INDEX upstream_outbox_state ON upstream_outbox (state, seq)');
    await db.execute('CREATE INDEX upstream_outbox_resource ON upstream_outbox (res_type, res_id)');
    await db.execute('CREATE INDEX upstream_outbox_ref ON upstream_outbox (upstream_ref)');
    await db.execute('CREATE TABLE upstream_outbox_cursor (id INTEGER PRIMARY KEY, last_seq BIGINT NOT NULL)');
    await db.execute('INSERT INTO upstream_outbox_cursor (id, last_seq) VALUES (1, 0)');
  },
};

export const upstreamMigrations: readonly HubMigration[] = [
  upstreamTables,
  upstreamLeaseAndSweeps,
  upstreamClosedByIt,
  upstreamEhrVersions,
];
