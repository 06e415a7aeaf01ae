// Which chart category each field of the workstation's patient payloads belongs to: the census row
// and the chart summary (the patient banner and Summary tab). The host hands a role only the fields
// whose category it may read (the others are absent, not blank), and the renderer shows a column or
// a fact only for a role that may read its fields: both from this table and the permission table.
// The contract checks that every field of those payloads is named here (shared/contract,
// chart-schemas.ts), so a new field cannot leave the host unclassified.
import { isPermitted, type ChartCategory } from './permissions.js';
import type { StaffRole } from './roles.js';

/** A field-by-field table: the chart category of each field of one payload. */
export type FieldCategories = Readonly<Record<string, ChartCategory>>;

/** The fields of a table that are clinical (any category but demographics). */
export type ClinicalField<M extends FieldCategories> = { [K in keyof M]: M[K] extends 'demographics' ? never : K }[keyof M] & string;

/**
 * One row of the ward census. The bed, the admission and when the chart was last brought up to
 * date are the census (a clerk's admissions and transfers): demographics. The alerts column also
 * carries the doses recorded twice, which are medication.
 */
export const CENSUS_ROW_FIELDS = {
  patientId: 'demographics',
  name: 'demographics',
  birthDate: 'demographics',
  gender: 'demographics',
  mrn: 'demographics',
  bed: 'demographics',
  encounterId: 'demographics',
  admittedAt: 'demographics',
  dataAsOf: 'demographics',
  alerts: 'alerts',
  hasAllergies: 'allergies',
  noKnownAllergies: 'allergies',
  lastVitalsAt: 'vital-signs',
  news2: 'vital-signs',
  dosesRecordedTwice: 'medication',
} as const satisfies FieldCategories;

/**
 * The admission of a chart summary: the census's (admission, bed, ward), except its reason, which
 * is a diagnosis (the presenting problem, "Sepsis"): problems.
 */
export const ENCOUNTER_SUMMARY_FIELDS = {
  id: 'demographics',
  status: 'demographics',
  admittedAt: 'demographics',
  bed: 'demographics',
  ward: 'demographics',
  reason: 'problems',
} as const satisfies FieldCategories;

/**
 * One patient's chart summary: the banner and the Summary tab. The encounter is the admission
 * (census), its own fields by ENCOUNTER_SUMMARY_FIELDS.
 */
export const CHART_SUMMARY_FIELDS = {
  patient: 'demographics',
  encounter: 'demographics',
  dataAsOf: 'demographics',
  allergies: 'allergies',
  noKnownAllergies: 'allergies',
  problems: 'problems',
  medications: 'medication',
  vitals: 'vital-signs',
  news2: 'vital-signs',
  labs: 'laboratory',
  alerts: 'alerts',
  dosesRecordedTwice: 'medication',
  /** Whether this workstation may document the chart (documenting-charts.ts): no clinical fact; the host adds it after the cut. */
  readOnly: 'demographics',
} as const satisfies FieldCategories;

/** The clinical fields of a table, in its order. */
export function clinicalFields<M extends FieldCategories>(fields: M): ClinicalField<M>[] {
  return Object.keys(fields).filter((field) => fields[field] !== 'demographics') as ClinicalField<M>[];
}

/** Whether `role` may read `field` of a payload the table `fields` describes (a field it does not name: never). */
export function mayReadField<M extends FieldCategories>(role: StaffRole, fields: M, field: keyof M & string): boolean {
  const category = Object.hasOwn(fields, field) ? fields[field] : undefined;
  return category !== undefined && isPermitted(role, `category:read:${category}`);
}

/** `value` as `role` may receive it: a clinical field the role may not read is absent. */
export type ReadableBy<T, M extends FieldCategories> = Omit<T, ClinicalField<M>> & Partial<Pick<T, ClinicalField<M> & keyof T>>;

/**
 * `value` with only the fields `role` may read. A field the table does not name is left out too
 * (fails closed: a new field is classified before it reaches a window).
 */
export function readableFields<T extends object, M extends FieldCategories>(role: StaffRole, value: T, fields: M): ReadableBy<T, M> {
  return Object.fromEntries(Object.entries(value).filter(([field]) => mayReadField(role, fields, field as keyof M & string))) as ReadableBy<
    T,
    M
  >;
}
