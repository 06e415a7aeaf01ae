// Which row of the permission table a FHIR resource falls under: the chart category a read needs
// and the documentation action a write needs. The hub's access policy judges every request with it;
// the workstation documents only what these actions allow.
import { CHART_CATEGORIES, type Action, type ChartCategory } from './permissions.js';

/** Reference data every enrolled workstation reads (no patient content). */
export const REFERENCE_TYPES: readonly string[] = ['Location', 'Practitioner'];

/**
 * What the hospital's ADT source owns: admissions, transfers, discharges, demographics and the
 * hospital's places and staff. No workstation, and no workstation user, writes them.
 */
export const ADT_TYPES: readonly string[] = ['Patient', 'Encounter', 'Location', 'Practitioner'];

export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** The chart categories a resource type may hold (an Observation: vital signs or laboratory). */
const CATEGORIES_OF_TYPE: Readonly<Record<string, readonly ChartCategory[]>> = {
  Patient: ['demographics'],
  AllergyIntolerance: ['allergies'],
  Condition: ['problems'],
  MedicationRequest: ['medication'],
  MedicationAdministration: ['medication'],
  Observation: ['vital-signs', 'laboratory'],
  DocumentReference: ['notes'],
  Flag: ['alerts'],
};

const CLINICAL_CATEGORIES: readonly ChartCategory[] = CHART_CATEGORIES.filter((category) => category !== 'demographics');

/** What a resource carries of its category (an Observation's `category`). */
export interface CategorisedResource {
  readonly resourceType: string;
  readonly category?: readonly { readonly coding?: readonly { readonly system?: string; readonly code?: string }[] }[] | unknown;
}

/**
 * An Observation is vital signs when it says so (observation-category `vital-signs`); every other
 * Observation is a result, read as laboratory.
 */
export function observationCategoryOf(resource: CategorisedResource): 'vital-signs' | 'laboratory' {
  const categories = Array.isArray(resource.category) ? (resource.category as { coding?: unknown }[]) : [];
  const isVital = categories.some(
    (category) =>
      Array.isArray(category?.coding) &&
      (category.coding as { system?: unknown; code?: unknown }[]).some(
        (coding) => coding?.system === OBSERVATION_CATEGORY_SYSTEM && coding.code === 'vital-signs',
      ),
  );
  return isVital ? 'vital-signs' : 'laboratory';
}

/**
 * The read actions a resource type may need: `census:read` for Encounters, every clinical category
 * for a Provenance, a `category:read:*` per chart category it may hold; empty for
 * reference data; null for a type no workstation reads as chart data.
 */
export function readActionsOfType(type: string): readonly Action[] | null {
  if (REFERENCE_TYPES.includes(type)) return [];
  if (type === 'Encounter') return ['census:read'];
  // A Provenance says who documented which clinical record and when: read with the clinical categories.
  if (type === 'Provenance') return ['chart:read', ...CLINICAL_CATEGORIES.map((category): Action => `category:read:${category}`)];
  const categories = CATEGORIES_OF_TYPE[type];
  return categories === undefined ? null : categories.map((category): Action => `category:read:${category}`);
}

/** The one read action this resource needs (an Observation by its category); null as above. */
export function readActionOf(resource: CategorisedResource): Action | null {
  if (resource.resourceType === 'Observation') return `category:read:${observationCategoryOf(resource)}`;
  const actions = readActionsOfType(resource.resourceType);
  if (actions === null) return null;
  return actions[0] ?? 'chart:read';
}

/**
 * The documentation action that writing (creating, amending, deleting) this resource needs; null
 * when no workstation role documents it (orders, problems, allergies, alerts, lab results, and the
 * ADT source's types).
 */
export function documentActionOf(resource: CategorisedResource): Action | null {
  switch (resource.resourceType) {
    case 'Observation':
      return observationCategoryOf(resource) === 'vital-signs' ? 'document:vital-signs' : null;
    case 'MedicationAdministration':
      return 'document:medication-administration';
    case 'DocumentReference':
      return 'document:note';
    default:
      return null;
  }
}
