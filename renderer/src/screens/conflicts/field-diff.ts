// Both versions of a conflict, resource by resource (matched by type and id), as rows of plain
// fields in clinical reading order: for an Observation what was measured, its value, time, who
// recorded it, its status and note; for a dose the medication, dose, time, who gave it and status;
// then any other top-level field. Bookkeeping (id, meta, narrative) is not compared. Links to other
// records (patient, admission, order, identifiers, extensions) are technical: compared, but shown
// only where the versions differ. A row says whether the versions differ (the same JSON whatever
// the key order: shared/json).
import { sameJson } from '../../../../shared/json/index.js';

export type ResourceJson = Record<string, unknown>;

export interface ResourcePair {
  readonly key: string;
  readonly resourceType: string;
  readonly local: ResourceJson | null;
  readonly hub: ResourceJson | null;
}

export interface FieldRow {
  readonly field: string;
  readonly label: string;
  readonly differs: boolean;
  /** A link to other records or a machine detail, not what a clinician reads (shown only where it differs). */
  readonly technical: boolean;
}

/** Fields never compared or offered for combining: the hub owns them. */
export const BOOKKEEPING_FIELDS: ReadonlySet<string> = new Set(['resourceType', 'id', 'meta', 'text', 'implicitRules', 'language']);

const keyOf = (resource: ResourceJson): string => `${String(resource.resourceType)}/${typeof resource.id === 'string' ? resource.id : ''}`;

/** Local resources first, each with the hub's version of it (or null); then hub resources with no local version. */
export function pairResources(local: readonly ResourceJson[], hub: readonly ResourceJson[]): ResourcePair[] {
  const hubByKey = new Map(hub.map((resource) => [keyOf(resource), resource]));
  const pairs: ResourcePair[] = local.map((resource) => ({
    key: keyOf(resource),
    resourceType: String(resource.resourceType),
    local: resource,
    hub: hubByKey.get(keyOf(resource)) ?? null,
  }));
  const used = new Set(pairs.map((pair) => pair.key));
  for (const resource of hub) {
    if (!used.has(keyOf(resource)))
      pairs.push({ key: keyOf(resource), resourceType: String(resource.resourceType), local: null, hub: resource });
  }
  return pairs;
}

const OBSERVATION_FIRST = [
  'code',
  'valueQuantity',
  'valueString',
  'valueCodeableConcept',
  'component',
  'effectiveDateTime',
  'effectiveInstant',
  'effectivePeriod',
  'performer',
  'status',
  'note',
];
const GENERIC_FIRST = [
  'code',
  'medicationCodeableConcept',
  'dosage',
  'effectiveDateTime',
  'effectivePeriod',
  'performer',
  'author',
  'status',
  'statusReason',
  'note',
];

/** Links to other records and machine details: compared, shown only where the versions differ. */
const TECHNICAL_FIELDS: ReadonlySet<string> = new Set([
  'subject',
  'encounter',
  'context',
  'identifier',
  'category',
  'extension',
  'modifierExtension',
  'basedOn',
  'derivedFrom',
  'partOf',
  'request',
  'device',
  'hasMember',
  'focus',
  'specimen',
  'supportingInformation',
  'eventHistory',
  'reasonReference',
  'instantiatesCanonical',
  'instantiatesUri',
  'contained',
]);

const LABELS: Readonly<Record<string, string>> = {
  effectiveDateTime: 'Time',
  effectiveInstant: 'Time',
  effectivePeriod: 'Time',
  valueQuantity: 'Value',
  valueString: 'Value',
  valueCodeableConcept: 'Value',
  component: 'Values',
  status: 'Status',
  code: 'What was recorded',
  category: 'Category',
  subject: 'Patient',
  encounter: 'Admission',
  context: 'Admission',
  performer: 'Recorded by',
  author: 'Written by',
  issued: 'Entered at',
  note: 'Note',
  interpretation: 'Flag',
  identifier: 'Identifier',
  medicationCodeableConcept: 'Medication',
  dosage: 'Dose',
  statusReason: 'Reason not given',
  request: 'Order',
  extension: 'Extra details',
  basedOn: 'Based on',
  derivedFrom: 'Derived from',
};

/** A field's name in plain words ("effectiveDateTime" → "Time"; unknown → "Reason code" from camelCase). */
export function fieldLabel(field: string): string {
  const known = LABELS[field];
  if (known !== undefined) return known;
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The rows to show for a pair, in reading order, each marked when the two versions differ. */
export function fieldRows(pair: ResourcePair): FieldRow[] {
  const fields = new Set<string>();
  for (const resource of [pair.local, pair.hub]) {
    if (resource === null) continue;
    for (const [field, value] of Object.entries(resource)) if (!BOOKKEEPING_FIELDS.has(field) && value !== undefined) fields.add(field);
  }
  const first = pair.resourceType === 'Observation' ? OBSERVATION_FIRST : GENERIC_FIRST;
  const ordered = [...first.filter((f) => fields.has(f)), ...[...fields].filter((f) => !first.includes(f)).sort()];
  return ordered.map((field) => ({
    field,
    label: fieldLabel(field),
    differs: pair.local !== null && pair.hub !== null ? !sameJson(pair.local[field], pair.hub[field]) : true,
    technical: TECHNICAL_FIELDS.has(field),
  }));
}

/** The rows a clinician reads: every clinical row, and a technical one only where both versions exist and differ. */
export function shownRows(pair: ResourcePair): FieldRow[] {
  const both = pair.local !== null && pair.hub !== null;
  return fieldRows(pair).filter((row) => !row.technical || (both && row.differs));
}

/**
 * Fields never chosen between when combining a reading: its notes are both versions' notes, a
 * correction note rebuilt to follow the chosen value (shared/vital-signs combinedNotes).
 */
const COMBINED_NOT_CHOSEN: Readonly<Record<string, ReadonlySet<string>>> = { Observation: new Set(['note']) };

/** The fields the user chooses between when combining (both versions exist and differ there). */
export function differingFields(pair: ResourcePair): string[] {
  if (pair.local === null || pair.hub === null) return [];
  const notChosen = COMBINED_NOT_CHOSEN[pair.resourceType];
  return fieldRows(pair)
    .filter((row) => row.differs && notChosen?.has(row.field) !== true)
    .map((row) => row.field);
}
