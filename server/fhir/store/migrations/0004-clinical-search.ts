// The clinical search terms (clinical-terms.ts): the span of each current resource's clinical date
// in two columns of its row, and its `code` and `category` codings as index tokens. Resources
// already stored get theirs from their content.
import type { SqlDatabase } from '../../../storage/index.js';
import type { Resource } from '../../../../shared/fhir/index.js';
import { clinicalTokensOf, DATE_SEARCH_PARAM, dateSpanOf } from '../clinical-terms.js';

const BATCH = 500;

export const clinicalSearchMigration = {
  id: 'fhir-0004-clinical-search',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute('ALTER TABLE fhir_resources ADD COLUMN date_start BIGINT');
    await db.execute('ALTER TABLE fhir_resources ADD COLUMN date_end BIGINT');
    const types = [...new Set([...Object.keys(DATE_SEARCH_PARAM), 'Observation', 'Condition', 'AllergyIntolerance'])].sort();
    for (const type of types) {
      let after = '';
      for (;;) {
        const rows = await db.query<{ res_id: string; content: string | Buffer | null }>(
          `SELECT res_id, content FROM fhir_resources WHERE res_type = $1 AND deleted = 0 AND res_id > $2 ORDER BY res_id LIMIT ${BATCH}`,
          [type, after],
        );
        for (const row of rows) {
          if (row.content === null) continue;
          const resource = JSON.parse(String(row.content)) as Resource;
          const span = dateSpanOf(resource);
          if (span)
            await db.execute('UPDATE fhir_resources SET date_start = $1, date_end = $2 WHERE res_type = $3 AND res_id = $4', [
              span.start,
              span.end,
              type,
              row.res_id,
            ]);
          for (const token of clinicalTokensOf(resource)) {
            await db.execute('INSERT INTO fhir_tokens (res_type, res_id, param, system, value) VALUES ($1, $2, $3, $4, $5)', [
              type,
              row.res_id,
              token.param,
              token.system,
              token.value,
            ]);
          }
        }
        const last = rows[rows.length - 1];
        if (last === undefined || rows.length < BATCH) break;
        after = last.res_id;
      }
    }
  },
};
