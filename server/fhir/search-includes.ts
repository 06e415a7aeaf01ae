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

type Json = Record<string, unknown> | undefined;

/** The `targetType` references `referencesOf` finds in a matched resource's content. */
function referencing(targetType: string, referencesOf: (resource: Record<string, unknown>) => unknown[]): IncludeTarget {
  return { targetType, idsOf: (row) => idsOfType(targetType, referencesOf(content(row))) };
}

/** `element.reference` (a Reference), or nothing. */
function referenceOf(element: unknown): unknown {
  return (element as Json)?.reference;
}

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
  // The stay a vital sign was recorded in (Observation.encounter, as the chart writes it).
  'Observation:encounter': referencing('Encounter', (r) => [referenceOf(r.encounter)]),
  'Condition:patient': PATIENT,
  'AllergyIntolerance:patient': PATIENT,
  'MedicationRequest:patient': PATIENT,
  'MedicationAdministration:patient': PATIENT,
  'MedicationAdministration:request': referencing('MedicationRequest', (r) => [referenceOf(r.request)]),
  // R4 names the administration's stay `context` (MedicationAdministration.context).
  'MedicationAdministration:context': referencing('Encounter', (r) => [referenceOf(r.context)]),
  'DocumentReference:patient': PATIENT,
  // DocumentReference.context.encounter (R4 search parameter `encounter`).
  'DocumentReference:encounter': referencing('Encounter', (r) => {
    const encounters = (r.context as Json)?.encounter;
    return Array.isArray(encounters) ? encounters.map(referenceOf) : [];
  }),
  'Flag:patient': PATIENT,
};

/** The _include values a type supports, as the CapabilityStatement lists them. */
export function includesOf(type: string): string[] {
  return Object.keys(INCLUDES).filter((name) => name.startsWith(`${type}:`));
}

export function includeTarget(name: string): IncludeTarget | undefined {
  return INCLUDES[name];
}
