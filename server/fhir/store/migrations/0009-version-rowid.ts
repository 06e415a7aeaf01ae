// On SQLite, each fhir_versions row is keyed by its seq as the table's own key (INTEGER PRIMARY KEY,
// the rowid): before, `seq BIGINT PRIMARY KEY` was a separate index beside the rowid, one more
// B-tree entry written for every version. The table is rebuilt with every row it holds, under the
// same name and indexes. On PostgreSQL a table is a heap with its key an index either way: nothing
// changes there.
import type { SqlDatabase } from '../../../storage/index.js';

const COLUMNS = 'seq, res_type, res_id, version, last_updated, deleted, patient_id, content';

export const versionRowidMigration = {
  id: 'fhir-0009-version-rowid',
  async up(db: SqlDatabase): Promise<void> {
    if (db.dialect !== 'sqlite') return;
    await db.execute(`CREATE TABLE fhir_versions_by_seq (
       seq INTEGER PRIMARY KEY,
       res_type TEXT NOT NULL,
       res_id TEXT NOT NULL,
       version INTEGER NOT NULL,
       last_updated BIGINT NOT NULL,
       deleted INTEGER NOT NULL,
       patient_id TEXT,
       content TEXT,
       UNIQUE (res_type, res_id, version)
     )`);
    await db.execute(`INSERT INTO fhir_versions_by_seq (${COLUMNS}) SELECT ${COLUMNS} FROM fhir_versions ORDER BY seq`);
    await db.execute('DROP TABLE fhir_versions');
    await db.execute('ALTER TABLE fhir_versions_by_seq RENAME TO fhir_versions');
    await db.execute('CREATE INDEX fhir_versions_type_updated ON fhir_versions (res_type, last_updated, seq)');
    await db.execute('CREATE INDEX fhir_versions_updated ON fhir_versions (last_updated, seq)');
  },
};
