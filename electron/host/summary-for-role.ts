// What leaves the host of the census and a chart summary for the signed-in role: only the fields
// whose chart category the role may read (the permission table's `category:read:*` actions, the
// field tables of shared/access/chart-fields.ts). The vault holds the whole ward's charts; a clerk's
// census rows and chart summary carry demographics and the admission and no clinical field at all
// (absent, not blank): no alerts, allergies, vital signs, NEWS2, problems, medications, labs, the
// doses recorded twice, nor the admission's reason (a diagnosis), so a window that must not show
// them never holds them.
import {
  CENSUS_ROW_FIELDS,
  CHART_SUMMARY_FIELDS,
  ENCOUNTER_SUMMARY_FIELDS,
  readableFields,
  type ReadableBy,
} from '../../shared/access/index.js';
import type { StaffRole } from '../session/index.js';
import type { CensusEntry, EncounterSummary, PatientSummary } from '../vault/index.js';

export type SummaryForRole = Omit<ReadableBy<PatientSummary, typeof CHART_SUMMARY_FIELDS>, 'encounter'> & {
  readonly encounter: ReadableBy<EncounterSummary, typeof ENCOUNTER_SUMMARY_FIELDS> | null;
};

export function summaryForRole(summary: PatientSummary, role: StaffRole): SummaryForRole {
  const { encounter, ...rest } = readableFields(role, summary, CHART_SUMMARY_FIELDS);
  return { ...rest, encounter: encounter === null ? null : readableFields(role, encounter, ENCOUNTER_SUMMARY_FIELDS) };
}

export function censusForRole(entries: readonly CensusEntry[], role: StaffRole): ReadableBy<CensusEntry, typeof CENSUS_ROW_FIELDS>[] {
  return entries.map((entry) => readableFields(role, entry, CENSUS_ROW_FIELDS));
}
