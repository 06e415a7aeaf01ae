// Resources a ward's devices keep receiving in their history whatever their patient's stay
// (ward-followed.ts): today, workstation documentation the hub holds as a conflict with the EHR,
// followed by the wards that held the patient so the conflict and its settlement reach them.
import type { SqlDatabase } from '../../../storage/index.js';

export const wardFollowedMigration = {
  id: 'fhir-0006-ward-followed',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute(`CREATE TABLE fhir_ward_followed (
       ward_ref TEXT NOT NULL, res_type TEXT NOT NULL, res_id TEXT NOT NULL, PRIMARY KEY (ward_ref, res_type, res_id))`);
  },
};
