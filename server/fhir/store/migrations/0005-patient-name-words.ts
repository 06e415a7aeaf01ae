// The words of each current Patient's name as index tokens (patient-name.ts), so the privacy
// officer's trail search by name looks them up instead of reading every Patient. Patients already
// stored get theirs from their content.
import type { SqlDatabase } from '../../../storage/index.js';
import { nameWordTokensOf } from '../patient-name.js';
import { backfillPatientTokens } from './backfill-patient-tokens.js';

export const patientNameWordsMigration = {
  id: 'fhir-0005-patient-name-words',
  async up(db: SqlDatabase): Promise<void> {
    await backfillPatientTokens(db, nameWordTokensOf);
  },
};
