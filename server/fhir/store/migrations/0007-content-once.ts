// Each version's content stored once (stored-resource.ts): the current version of a live resource
// keeps its text in its fhir_resources row only, so the copy in its fhir_versions row is cleared.
// Earlier versions keep theirs; a resource's next write moves its current text into its history row.
import type { SqlDatabase } from '../../../storage/index.js';

export const contentOnceMigration = {
  id: 'fhir-0007-content-once',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute(
      `UPDATE fhir_versions SET content = NULL
       WHERE content IS NOT NULL AND EXISTS (SELECT 1 FROM fhir_resources r
         WHERE r.res_type = fhir_versions.res_type AND r.res_id = fhir_versions.res_id
           AND r.version = fhir_versions.version AND r.deleted = 0)`,
    );
  },
};
