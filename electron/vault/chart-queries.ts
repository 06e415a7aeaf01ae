// The chart queries a screen asks the vault: census, patient summary, observation trend, MAR, notes.
// Pure reads over prepared statements; they return the plain objects of chart-types.ts.
import type { CensusEntry, MarRow, PatientSummary, TrendPoint } from './chart-types.js';
import { createChartReads } from './chart-reads.js';
import { census } from './census-query.js';
import { medicationAdministrationRecord } from './mar-query.js';
import { patientNotes, type NotesPage, type NotesPageEntries } from './notes-query.js';
import { createObservationQueries } from './observation-queries.js';
import { patientSummary } from './patient-summary-query.js';
import type { Db } from './sqlcipher-connection.js';
import { VaultError } from './vault-error.js';

export interface ChartQueries {
  /** Patients with an in-progress encounter on this vault's ward (any ward when none is set), by bed. */
  census(): CensusEntry[];
  /** The chart summary, or null when the patient is not in the vault. */
  patientSummary(patientId: string): PatientSummary | null;
  /** Observations of `code` (LOINC code, or "system|code") from `fromIso` to `toIso` inclusive, by time. */
  observationTrend(patientId: string, code: string, fromIso: string, toIso: string): TrendPoint[];
  /** Per active medication request, its administrations scheduled from `fromIso` to `toIso`. */
  medicationAdministrationRecord(patientId: string, fromIso: string, toIso: string): MarRow[];
  /** One page of the patient's notes (DocumentReference, plain text), newest first, and their count. */
  notes(patientId: string, page: NotesPage): NotesPageEntries;
}

function epochMs(iso: string, which: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new VaultError('INVALID_QUERY', `The ${which} of the requested time window is not a valid date and time.`);
  }
  return ms;
}

/** When the store last brought a patient's chart up to date (the sync state's data as of), or null. */
export type DataAsOfLookup = (patientId: string) => string | null;

export function createChartQueries(
  db: Db,
  wardOf: () => string | null,
  dataAsOf: DataAsOfLookup = () => null,
  now: () => number = Date.now,
): ChartQueries {
  const reads = createChartReads(db);
  const observations = createObservationQueries(db);
  return {
    census: () => census(reads, observations, wardOf(), now(), dataAsOf),
    patientSummary: (patientId) => patientSummary(reads, observations, patientId, now(), dataAsOf),
    observationTrend: (patientId, code, fromIso, toIso) =>
      observations.trend(patientId, code, epochMs(fromIso, 'start'), epochMs(toIso, 'end')),
    medicationAdministrationRecord: (patientId, fromIso, toIso) =>
      medicationAdministrationRecord(reads, patientId, epochMs(fromIso, 'start'), epochMs(toIso, 'end')),
    notes: (patientId, page) => patientNotes(reads, patientId, page),
  };
}
