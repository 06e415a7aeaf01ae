// Who a patient is, for the privacy officer's view of the trail: the name ("Family, Given") and the
// MRN of the Patient as the hub holds it now, looked up when the trail is read (the trail itself
// stores ids only), and the patients an MRN or the start of each word of a name designates (both
// through the store's token index, never a read of every Patient).
import { MRN_SYSTEM, nameHasEveryWord, type Patient } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { contentText, patientIdsByNameWords, patientNameOf, readCurrent, searchResources } from './store/index.js';

export { patientNameOf };

export interface PatientLabel {
  readonly name: string | null;
  readonly mrn: string | null;
}

function labelOf(patient: Patient): PatientLabel {
  return {
    name: patientNameOf(patient),
    mrn: (patient.identifier ?? []).find((i) => i.system === MRN_SYSTEM)?.value ?? null,
  };
}

/** The current name and MRN of each patient id (deleted or unknown ids are left out). */
export async function patientLabels(db: SqlDatabase, patientIds: readonly string[]): Promise<Map<string, PatientLabel>> {
  const labels = new Map<string, PatientLabel>();
  for (const id of new Set(patientIds)) {
    const stored = await readCurrent(db, 'Patient', id);
    const text = stored === null || stored.deleted ? null : contentText(stored);
    if (text !== null) labels.set(id, labelOf(JSON.parse(text) as Patient));
  }
  return labels;
}

/** The ids of the Patients holding this MRN (normally one). */
export async function patientIdsByMrn(db: SqlDatabase, mrn: string): Promise<string[]> {
  const page = await searchResources(db, {
    type: 'Patient',
    filters: [{ kind: 'token', param: 'identifier', alternatives: [{ system: MRN_SYSTEM, value: mrn }] }],
    order: 'id',
    count: 50,
    scope: { kind: 'all' },
  });
  return page.rows.map((row) => row.id);
}

/** Whether a label matches a name search: shared/fhir's one rule (every word typed starts a word of the name). */
export function nameMatches(label: PatientLabel | undefined, query: string): boolean {
  return nameHasEveryWord(label?.name, query);
}

/**
 * The Patients whose current name matches a name search (nameMatches), found through the name
 * index (a lookup per word), then confirmed on the few candidates' current names.
 */
export async function patientIdsByName(db: SqlDatabase, query: string): Promise<string[]> {
  const candidates = await patientIdsByNameWords(db, query);
  const labels = await patientLabels(db, candidates);
  return candidates.filter((id) => nameMatches(labels.get(id), query));
}
