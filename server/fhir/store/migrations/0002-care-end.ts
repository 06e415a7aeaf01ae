// The care-end column of current resources: when the care a resource records ends (ms since the
// epoch; NULL for what matters whatever its date, is ongoing or is undated), for $everything's `start`.
// Resources already stored get theirs from their content.
import type { SqlDatabase } from '../../../storage/index.js';
import type { Resource } from '../../../../shared/fhir/index.js';
import { careEndColumn } from '../index-terms.js';

const BATCH = 500;

export const careEndMigration = {
  id: 'fhir-0002-care-end',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute('ALTER TABLE fhir_resources ADD COLUMN care_end_ms BIGINT');
    let after = { type: '', id: '' };
    for (;;) {
      const rows = await db.query<{ res_type: string; res_id: string; content: string | Buffer | null }>(
        `SELECT res_type, res_id, content FROM fhir_resources
         WHERE deleted = 0 AND patient_id IS NOT NULL AND (res_type > $1 OR (res_type = $1 AND res_id > $2))
         ORDER BY res_type, res_id LIMIT ${BATCH}`,
        [after.type, after.id],
      );
      for (const row of rows) {
        if (row.content === null) continue;
        const careEnd = careEndColumn(JSON.parse(String(row.content)) as Resource);
        if (careEnd !== null)
          await db.execute('UPDATE fhir_resources SET care_end_ms = $1 WHERE res_type = $2 AND res_id = $3', [
            careEnd,
            row.res_type,
            row.res_id,
          ]);
      }
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < BATCH) return;
      after = { type: last.res_type, id: last.res_id };
    }
  },
};
