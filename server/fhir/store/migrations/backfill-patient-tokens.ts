// For a migration that indexes something new of every Patient: the tokens `tokensOf` finds in each
// current Patient's stored content, inserted in pages of BATCH, so Patients stored before the
// migration are found by the new index like those written after it. Used by migrations before
// fhir-0008-token-version, which gives the rows it inserted their version's seq (a backfill after it
// must write the seq itself).
import type { SqlDatabase } from '../../../storage/index.js';
import type { Resource } from '../../../../shared/fhir/index.js';

const BATCH = 500;

export interface PatientToken {
  readonly param: string;
  readonly system: string;
  readonly value: string;
}

export async function backfillPatientTokens(db: SqlDatabase, tokensOf: (resource: Resource) => readonly PatientToken[]): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db.query<{ res_id: string; content: string | Buffer | null }>(
      `SELECT res_id, content FROM fhir_resources WHERE res_type = 'Patient' AND deleted = 0 AND res_id > $1 ORDER BY res_id LIMIT ${BATCH}`,
      [after],
    );
    for (const row of rows) {
      if (row.content === null) continue;
      for (const token of tokensOf(JSON.parse(String(row.content)) as Resource)) {
        await db.execute(`INSERT INTO fhir_tokens (res_type, res_id, param, system, value) VALUES ('Patient', $1, $2, $3, $4)`, [
          row.res_id,
          token.param,
          token.system,
          token.value,
        ]);
      }
    }
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < BATCH) return;
    after = last.res_id;
  }
}
