// What the hub's access policy needs of the store: each Patient's security labels as index tokens
// (the restricted-chart rule, one lookup), filled in for Patients already stored; and the
// break-the-glass grants, each one user's access to one patient from one workstation until it
// expires. The access log (hub_access_log) records every read made under a grant.
import type { SqlDatabase } from '../../../storage/index.js';
import type { Resource } from '../../../../shared/fhir/index.js';
import { securityTokensOf } from '../index-terms.js';

const BATCH = 500;

export const accessMigration = {
  id: 'fhir-0003-access',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute(`CREATE TABLE hub_btg_grants (
       grant_id TEXT PRIMARY KEY,
       user_id TEXT NOT NULL,
       device_id TEXT NOT NULL,
       patient_id TEXT NOT NULL,
       reason TEXT NOT NULL,
       granted_at BIGINT NOT NULL,
       expires_at BIGINT NOT NULL
     )`);
    await db.execute('CREATE INDEX hub_btg_grants_holder ON hub_btg_grants (user_id, patient_id, expires_at)');
    let after = '';
    for (;;) {
      const rows = await db.query<{ res_id: string; content: string | Buffer | null }>(
        `SELECT res_id, content FROM fhir_resources WHERE res_type = 'Patient' AND deleted = 0 AND res_id > $1 ORDER BY res_id LIMIT ${BATCH}`,
        [after],
      );
      for (const row of rows) {
        if (row.content === null) continue;
        for (const token of securityTokensOf(JSON.parse(String(row.content)) as Resource)) {
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
  },
};
