// One patient's chart summary: demographics, current encounter, allergies, active problems,
// active medications, latest vitals with the NEWS2 the chart leads with, latest labs, active alerts,
// doses recorded twice for one slot.
import {
  allergySummary,
  chartAlert,
  isActiveFlag,
  isActiveProblem,
  isCurrentAllergy,
  isNoKnownAllergy,
  isActiveRequest,
  medicationSummary,
  patientHeader,
  problemSummary,
  conceptText,
  array,
  type Json,
} from './chart-format.js';
import type { EncounterSummary, PatientSummary } from './chart-types.js';
import type { ChartReads } from './chart-reads.js';
import { admissionOf } from './census-query.js';
import { dosesRecordedTwice } from './double-dose-query.js';
import { encounterPlace } from './encounter-place.js';
import { news2SummaryOf } from './news2-query.js';
import type { ObservationQueries } from './observation-queries.js';

export function patientSummary(
  reads: ChartReads,
  observations: ObservationQueries,
  patientId: string,
  nowMs: number,
  dataAsOf: (patientId: string) => string | null,
): PatientSummary | null {
  const patient = reads.resource('Patient', patientId);
  if (patient === null) return null;
  const encounters = reads.ofPatient(patientId, 'Encounter');
  const allergies = reads.ofPatient(patientId, 'AllergyIntolerance');
  const current = encounters.find((encounter) => encounter.status === 'in-progress') ?? encounters[encounters.length - 1];
  const vitals = observations.latestOfCategory(patientId, 'vital-signs');
  return {
    patient: patientHeader(patient),
    encounter: current === undefined ? null : encounterSummary(current, reads),
    allergies: allergies.filter(isCurrentAllergy).map(allergySummary),
    noKnownAllergies: allergies.some(isNoKnownAllergy) && !allergies.some(isCurrentAllergy),
    problems: reads.ofPatient(patientId, 'Condition').filter(isActiveProblem).map(problemSummary),
    medications: reads.ofPatient(patientId, 'MedicationRequest').filter(isActiveRequest).map(medicationSummary),
    vitals,
    news2: news2SummaryOf(observations, patientId, vitals),
    labs: observations.latestOfCategory(patientId, 'laboratory'),
    alerts: reads
      .ofPatient(patientId, 'Flag')
      .filter((flag) => isActiveFlag(flag, nowMs))
      .map(chartAlert),
    dosesRecordedTwice: dosesRecordedTwice(reads, patientId, nowMs),
    dataAsOf: dataAsOf(patientId),
  };
}

function encounterSummary(encounter: Json, reads: ChartReads): EncounterSummary {
  const place = encounterPlace(encounter, reads.locationReader());
  return {
    id: String(encounter.id),
    status: String(encounter.status),
    admittedAt: admissionOf(encounter),
    bed: place.bed,
    ward: place.ward,
    reason: conceptText(array(encounter.reasonCode)[0]),
  };
}
