// Which device first stored each piece of late documentation: a workstation's create of documentation
// of a patient who had left its ward, timed beyond the departure plus the grace (ward-stay.ts). Past
// that time a device may change only what it stored itself, so the ward a patient left never
// matches, reads or changes what the new ward recorded. Written by that rare path only (never by the
// EHR's mirror, the ADT feed or documentation of the ward's own patients); kept as long as the record.
import type { SqlDatabase } from '../../../storage/index.js';

export const lateUploadsMigration = {
  id: 'fhir-0011-late-uploads',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute(`CREATE TABLE fhir_late_uploads (
       res_type TEXT NOT NULL, res_id TEXT NOT NULL, client_id TEXT NOT NULL, stored_at BIGINT NOT NULL,
       PRIMARY KEY (res_type, res_id))`);
  },
};
