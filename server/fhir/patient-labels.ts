// Who a patient is, for the privacy officer's view of the trail: the name ("Family, Given") and the
// MRN of the Patient as the hub holds it now, looked up when the trail is read (the trail itself
// stores ids only), and the patients an MRN or a part of a name designates.
import { MRN_SYSTEM, nameHasEveryWord, type Patient } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { contentText, readCurrent, searchResources } from './store/index.js';

export interface PatientLabel {
  readonly name: string | null;
  readonly mrn: string | null;
}

/** "Family, Given Given" of the official (else first) name; null when the Patient has none. */
export function patientNameOf(patient: Patient): string | null {
  const names = patient.name ?? [];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  if (name === undefined) return null;
  const family = name.family ?? '';
  const given = (name.given ?? []).join(' ');
  const text = [family, given].filter((part) => part !== '').join(', ');
  return text === '' ? (name.text ?? null) : text;
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

/** Whether a label matches a name search: every word of `query` appears in the name, ignoring case (shared/fhir's rule). */
export function nameMatches(label: PatientLabel | undefined, query: string): boolean {
  return nameHasEveryWord(label?.name, query);
}
