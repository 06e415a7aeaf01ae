// The _include targets the chart uses: for each `Type:param`, the type it includes and the
// references a matched resource holds for it. Included resources go through the same scope and
// role checks as the matches (interactions-read.ts), so an _include never widens what a caller reads.
import { normalizeReference, type StoredResource } from './store/index.js';
import { contentText } from './store/index.js';

export interface IncludeTarget {
  readonly targetType: string;
  /** The ids of `targetType` a matched resource points to. */
  readonly idsOf: (row: StoredResource) => string[];
}

function patientOfRow(row: StoredResource): string[] {
  return row.patientId === null ? [] : [row.patientId];
}

function content(row: StoredResource): Record<string, unknown> {
  const text = contentText(row);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function idsOfType(type: string, references: readonly unknown[]): string[] {
  const ids: string[] = [];
  for (const reference of references) {
    const ref = normalizeReference(typeof reference === 'string' ? reference : undefined);
    if (ref?.startsWith(`${type}/`)) ids.push(ref.slice(type.length + 1));
  }
  return ids;
}

const PATIENT: IncludeTarget = { targetType: 'Patient', idsOf: patientOfRow };

const INCLUDES: Readonly<Record<string, IncludeTarget>> = {
  'Encounter:patient': PATIENT,
  'Encounter:subject': PATIENT,
  'Encounter:location': {
    targetType: 'Location',
    idsOf: (row) => {
      const locations = content(row).location;
      const list = Array.isArray(locations) ? (locations as { location?: { reference?: unknown } }[]) : [];
      return idsOfType(
        'Location',
        list.map((entry) => entry?.location?.reference),
      );
    },
  },
  'Observation:patient': PATIENT,
  'Observation:subject': PATIENT,
  'Condition:patient': PATIENT,
  'AllergyIntolerance:patient': PATIENT,
  'MedicationRequest:patient': PATIENT,
  'MedicationAdministration:patient': PATIENT,
  'MedicationAdministration:request': {
    targetType: 'MedicationRequest',
    idsOf: (row) => idsOfType('MedicationRequest', [(content(row).request as { reference?: unknown } | undefined)?.reference]),
  },
  'DocumentReference:patient': PATIENT,
  'Flag:patient': PATIENT,
};

/** The _include values a type supports, as the CapabilityStatement lists them. */
export function includesOf(type: string): string[] {
  return Object.keys(INCLUDES).filter((name) => name.startsWith(`${type}:`));
}

export function includeTarget(name: string): IncludeTarget | undefined {
  return INCLUDES[name];
}
