// The versioned resource store: the current version of each resource (with its search columns),
// every version ever written (deletions as tombstones), search tokens of current versions, the
// ward(s) each Encounter version touched (for ward-scoped history), the hub clock, and the log of
// break-the-glass reads. Portable SQL; times are microseconds since the epoch in BIGINT columns.
import type { SqlDatabase } from '../../../storage/index.js';

const statements = [
  // One row: the last stamp and version sequence handed out. Every write transaction locks it first,
  // so stamps and sequences grow in commit order, in one process or many.
  `CREATE TABLE fhir_clock (id INTEGER PRIMARY KEY, last_stamp BIGINT NOT NULL, last_seq BIGINT NOT NULL)`,
  `INSERT INTO fhir_clock (id, last_stamp, last_seq) VALUES (1, 0, 0)`,
  `CREATE TABLE fhir_resources (
     res_type TEXT NOT NULL,
     res_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     last_updated BIGINT NOT NULL,
     seq BIGINT NOT NULL,
     deleted INTEGER NOT NULL,
     patient_id TEXT,
     status TEXT,
     content TEXT,
     PRIMARY KEY (res_type, res_id)
   )`,
  `CREATE INDEX fhir_resources_patient ON fhir_resources (patient_id, res_type, res_id)`,
  `CREATE INDEX fhir_resources_updated ON fhir_resources (res_type, last_updated, res_id)`,
  `CREATE TABLE fhir_versions (
     seq BIGINT PRIMARY KEY,
     res_type TEXT NOT NULL,
     res_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     last_updated BIGINT NOT NULL,
     deleted INTEGER NOT NULL,
     patient_id TEXT,
     content TEXT,
     UNIQUE (res_type, res_id, version)
   )`,
  `CREATE INDEX fhir_versions_type_updated ON fhir_versions (res_type, last_updated, seq)`,
  `CREATE INDEX fhir_versions_updated ON fhir_versions (last_updated, seq)`,
  `CREATE TABLE fhir_version_wards (ward_ref TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (ward_ref, seq))`,
  `CREATE TABLE fhir_tokens (
     res_type TEXT NOT NULL,
     res_id TEXT NOT NULL,
     param TEXT NOT NULL,
     system TEXT NOT NULL,
     value TEXT NOT NULL
   )`,
  `CREATE INDEX fhir_tokens_lookup ON fhir_tokens (param, value, res_type, system)`,
  `CREATE INDEX fhir_tokens_owner ON fhir_tokens (res_type, res_id)`,
  `CREATE TABLE hub_access_log (
     id TEXT PRIMARY KEY,
     at BIGINT NOT NULL,
     device_id TEXT NOT NULL,
     user_id TEXT,
     patient_id TEXT,
     interaction TEXT NOT NULL,
     res_type TEXT,
     res_id TEXT,
     reason TEXT NOT NULL
   )`,
  `CREATE INDEX hub_access_log_at ON hub_access_log (at)`,
];

export const resourceTables = {
  id: 'fhir-0001-resources',
  async up(db: SqlDatabase): Promise<void> {
    for (const sql of statements) await db.execute(sql);
  },
};
