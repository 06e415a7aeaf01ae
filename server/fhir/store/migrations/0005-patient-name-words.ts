// The words of each current Patient's name as index tokens (patient-name.ts), so the privacy
// officer's trail search by name looks them up instead of reading every Patient. Patients already
// stored get theirs from their content.
import type { SqlDatabase } from '../../../storage/index.js';
import type { Resource } from '../../../../shared/fhir/index.js';
import { nameWordTokensOf } from '../patient-name.js';

const BATCH = 500;

export const patientNameWordsMigration = {
  id: 'fhir-0005-patient-name-words',
  async up(db: SqlDatabase): Promise<void> {
    let after = '';
    for (;;) {
      const rows = await db.query<{ res_id: string; content: string | Buffer | null }>(
        `SELECT res_id, content FROM fhir_resources WHERE res_type = 'Patient' AND deleted = 0 AND res_id > $1 ORDER BY res_id LIMIT ${BATCH}`,
        [after],
      );
      for (const row of rows) {
        if (row.content === null) continue;
        for (const token of nameWordTokensOf(JSON.parse(String(row.content)) as Resource)) {
          await db.execute(`INSERT INTO fhir_tokens (res_type, res_id, param, system, value) VALUES ('Patient', $1, $2, $3, $4)`, [
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
  },
};
