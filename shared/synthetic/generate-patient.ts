// One synthetic patient, start to finish: demographics, problems, physiology, then every resource of
// the chart in an order safe to ingest (Patient, Encounter, Flags, allergies, problems, orders,
// vitals, labs, administrations, notes).
import type { Encounter, Patient, Resource } from '@medplum/fhirtypes';
import { buildAllergies, buildConditions, buildFlags, drawProblems } from './build-problems.js';
import { buildMedications } from './build-medications.js';
import { buildWeeklyOrder } from './build-weekly-order.js';
import { buildNotes } from './build-notes.js';
import { buildLabs, buildVitals } from './build-observations.js';
import { buildEncounter, buildPatient, drawDemographics, sensitiveStringsOf } from './build-patient.js';
import type { WardStaff } from './build-ward.js';
import type { Trait } from './clinical-catalog.js';
import { deepFreeze } from './frozen.js';
import { ref, type PatientContext } from './patient-context.js';
import { Physiology } from './physiology.js';
import { Rng } from './prng.js';
import { DAY, MINUTE } from './time.js';
import type { SyntheticPatient, WardSpec } from './types.js';

export interface PatientPlan {
  readonly seed: string;
  readonly ward: WardSpec;
  readonly index: number;
  readonly days: number;
  readonly nowMs: number;
  readonly staff: WardStaff;
  readonly mrnNumber: number;
  readonly restricted: boolean;
}

export function generatePatient(plan: PatientPlan): SyntheticPatient {
  const stream = (part: string): Rng => Rng.derive('wardline-synthetic', plan.seed, plan.ward.id, 'patient', plan.index, part);
  const ids = stream('ids');
  const patientId = ids.uuid();
  const encounterId = ids.uuid();
  const admin = stream('admission');
  const admissionMs = plan.nowMs - plan.days * DAY - admin.int(0, 11 * 60) * MINUTE;
  const demographics = drawDemographics(stream('demographics'), plan.nowMs, plan.mrnNumber);
  const problems = drawProblems(stream('problems'));
  const admissionTraits = new Set<Trait>(problems.admission.traits);
  const traits = new Set<Trait>([...admissionTraits, ...problems.chronic.flatMap((p) => p.traits)]);
  const physiology = new Physiology(stream('physiology'), {
    sex: demographics.sex,
    ageYears: demographics.ageYears,
    traits,
    admissionTraits,
    admissionMs,
    nowMs: plan.nowMs,
  });
  const ctx: PatientContext = {
    index: plan.index,
    ids,
    stream,
    patientId,
    encounterId,
    subject: deepFreeze(ref<Patient>('Patient', patientId)),
    encounter: deepFreeze(ref<Encounter>('Encounter', encounterId)),
    sex: demographics.sex,
    ageYears: demographics.ageYears,
    admissionMs,
    nowMs: plan.nowMs,
    traits,
    physiology,
    staff: plan.staff,
    attending: plan.staff.physicians[plan.index % plan.staff.physicians.length]!,
    restricted: plan.restricted,
  };
  const patient = buildPatient(ctx, demographics);
  const encounter = buildEncounter(ctx, plan.ward, problems.admission);
  const flags = buildFlags(ctx);
  const allergies = buildAllergies(ctx);
  const conditions = buildConditions(ctx, problems);
  const medications = buildMedications(ctx, problems, conditions.idByCode, allergies.drugCodes);
  const vitals = buildVitals(ctx);
  const labs = buildLabs(ctx);
  const notes = buildNotes(ctx, problems);
  // Last, from streams of its own: the resources above are the same with or without it.
  const weekly = buildWeeklyOrder(ctx, allergies.drugCodes);
  const resources: Resource[] = [
    patient,
    encounter,
    ...flags,
    ...allergies.allergies,
    ...conditions.conditions,
    ...medications.requests,
    ...vitals,
    ...labs,
    ...medications.administrations,
    ...notes,
    ...(weekly === null ? [] : [weekly.request, ...weekly.administrations]),
  ];
  return { patient, encounter, resources, sensitiveStrings: sensitiveStringsOf(demographics) };
}
