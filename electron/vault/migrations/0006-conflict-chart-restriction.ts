// Schema 6: whether a conflict's patient's chart was restricted, recorded with the conflict, so the
// conflict is never shown more openly than the chart was once the Patient resource is gone (the
// restricted-chart rule of shared/access on the Patient and on the conflict's own resources).
// Existing conflicts: those whose Patient the vault still holds are judged from it now; those whose
// Patient is already gone cannot be judged and count as restricted (fail closed).
import { isRestricted, type SecurityLabelled } from '../../../shared/access/index.js';
import type { Migration } from './migration.js';

interface ConflictRow {
  conflict_id: string;
  local_json: string;
  hub_json: string;
  patient_json: string | null;
}

/** The conflict's own resources, as the row stores them (the local entry's items, the hub's versions). */
function ownResources(row: ConflictRow): SecurityLabelled[] {
  const local = JSON.parse(row.local_json) as { items?: { resource: SecurityLabelled }[] };
  return [...(local.items ?? []).map((item) => item.resource), ...(JSON.parse(row.hub_json) as SecurityLabelled[])];
}

export const conflictChartRestrictionMigration: Migration = {
  version: 6,
  name: 'conflict-chart-restriction',
  up(db) {
    db.exec('ALTER TABLE sync_conflicts ADD COLUMN chart_restricted INTEGER NOT NULL DEFAULT 1 CHECK (chart_restricted IN (0, 1))');
    const rows = db
      .prepare<[], ConflictRow>(
        `SELECT c.conflict_id, c.local_json, c.hub_json, r.json AS patient_json
           FROM sync_conflicts c LEFT JOIN resources r ON r.type = 'Patient' AND r.id = c.patient_id`,
      )
      .all();
    const mark = db.prepare<[number, string]>('UPDATE sync_conflicts SET chart_restricted = ? WHERE conflict_id = ?');
    for (const row of rows) {
      if (row.patient_json === null) continue; // the chart is gone: it stays restricted
      const patient = JSON.parse(row.patient_json) as SecurityLabelled;
      const restricted = isRestricted(patient) || ownResources(row).some((resource) => isRestricted(resource));
      mark.run(restricted ? 1 : 0, row.conflict_id);
    }
  },
};
