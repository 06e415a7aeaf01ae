// The census: patients with an in-progress Encounter on the vault's ward (any ward when none is
// set), with what the ward list shows for each: bed, admission, alerts, allergies, last vitals, the
// NEWS2 the ward leads with (the latest complete round, news2-query.ts), the doses recorded twice
// for one slot (double-dose-query.ts), and when the workstation last brought the chart up to date (data as of).
import {
  chartAlert,
  isActiveFlag,
  isCurrentAllergy,
  isNoKnownAllergy,
  patientHeader,
  referencedId,
  text,
  type Json,
} from './chart-format.js';
import type { CensusEntry } from './chart-types.js';
import type { ChartReads } from './chart-reads.js';
import { dosesRecordedTwice } from './double-dose-query.js';
import { encounterPlace } from './encounter-place.js';
import { news2SummaryOf } from './news2-query.js';
import type { ObservationQueries } from './observation-queries.js';

export function census(
  reads: ChartReads,
  observations: ObservationQueries,
  ward: string | null,
  nowMs: number,
  dataAsOf: (patientId: string) => string | null,
): CensusEntry[] {
  const entries: CensusEntry[] = [];
  const readLocation = reads.locationReader();
  for (const encounter of reads.inProgressEncounters()) {
    const place = encounterPlace(encounter, readLocation);
    if (ward !== null && !place.locationIds.has(ward)) continue;
    const patientId = referencedId(encounter.subject, 'Patient');
    if (patientId === null) continue;
    const patient = reads.resource('Patient', patientId);
    if (patient === null) continue;
    const header = patientHeader(patient);
    entries.push({
      patientId,
      name: header.name,
      birthDate: header.birthDate,
      gender: header.gender,
      mrn: header.mrn,
      bed: place.bed,
      encounterId: String(encounter.id),
      admittedAt: admissionOf(encounter),
      alerts: reads
        .ofPatient(patientId, 'Flag')
        .filter((flag) => isActiveFlag(flag, nowMs))
        .map(chartAlert),
      ...allergyFacts(reads.ofPatient(patientId, 'AllergyIntolerance')),
      lastVitalsAt: observations.latestTimeOfCategory(patientId, 'vital-signs'),
      news2: news2SummaryOf(observations, patientId),
      dosesRecordedTwice: dosesRecordedTwice(reads, patientId, nowMs),
      dataAsOf: dataAsOf(patientId),
    });
  }
  return entries.sort(
    (a, b) => (a.bed ?? '\uffff').localeCompare(b.bed ?? '\uffff', undefined, { numeric: true }) || a.name.localeCompare(b.name),
  );
}

/** Allergies on record, and "no known allergies" documented without any allergy (as the chart summary reads it). */
function allergyFacts(allergies: readonly Json[]): { hasAllergies: boolean; noKnownAllergies: boolean } {
  const hasAllergies = allergies.some(isCurrentAllergy);
  return { hasAllergies, noKnownAllergies: !hasAllergies && allergies.some(isNoKnownAllergy) };
}

export function admissionOf(encounter: Json): string | null {
  const period = encounter.period;
  return typeof period === 'object' && period !== null ? text((period as Json).start) : null;
}
