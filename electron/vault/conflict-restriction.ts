// A patient's open conflicts keep the restricted-chart label once the Patient resource leaves the
// vault, however it leaves: the purge of a patient who left the ward, a deletion the hub sent, or a
// Patient no longer in this ward's scope. The conflict store records the chart's restriction when a
// conflict is stored; a label added afterwards is carried onto the conflicts here, just before the
// Patient goes (it only ever closes a conflict further, never opens it).
import { isRestricted, type SecurityLabelled } from '../../shared/access/index.js';
import type { Db } from './sqlcipher-connection.js';

/** Marks the open conflicts of `patientId` restricted when the vault's Patient is; call before the Patient is removed. */
export function createRestrictionCarrier(db: Db): (patientId: string) => void {
  let statements: { read: (patientId: string) => string | undefined; mark: (patientId: string) => void } | null = null;
  return (patientId) => {
    if (statements === null) {
      const read = db.prepare<[string], string>("SELECT json FROM resources WHERE type = 'Patient' AND id = ?").pluck();
      const mark = db.prepare<[string]>('UPDATE sync_conflicts SET chart_restricted = 1 WHERE patient_id = ?');
      statements = { read: (id) => read.get(id), mark: (id) => void mark.run(id) };
    }
    const patient = statements.read(patientId);
    if (patient !== undefined && isRestricted(JSON.parse(patient) as SecurityLabelled)) statements.mark(patientId);
  };
}
