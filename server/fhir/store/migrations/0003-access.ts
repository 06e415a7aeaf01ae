// What the hub's access policy needs of the store: each Patient's security labels as index tokens
// (the restricted-chart rule, one lookup), filled in for Patients already stored; and the
// break-the-glass grants, each one user's access to one patient from one workstation until it
// expires. The access log (hub_access_log) records every read made under a grant.
import type { SqlDatabase } from '../../../storage/index.js';
import { securityTokensOf } from '../index-terms.js';
import { backfillPatientTokens } from './backfill-patient-tokens.js';

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
    await backfillPatientTokens(db, securityTokensOf);
  },
};
