// Observations: the vital-signs chart and the morning labs.
//
// Vitals: a round at 02, 06, 10, 14, 18 and 22 h (a few minutes late, as rounds are), plus an hourly
// round while an abnormal episode is past 60% of its peak (escalated observations), plus one
// on arrival. A round charts heart rate, respiratory rate, temperature, SpO2, blood pressure (panel
// with systolic and diastolic components), pain score, oxygen flow, GCS and the level of
// responsiveness (ACVPU, LOINC 67775-7 with a SNOMED CT finding, what NEWS2 scores); the 06 h round
// adds body weight. Category vital-signs, valueQuantity in UCUM (ACVPU: valueCodeableConcept),
// performer the nurse on shift.
//
// Labs: drawn daily at about 06:00, resulted 1–2.5 h later (Observation.issued); category laboratory,
// referenceRange by sex, interpretation H, L or N.
import type { CodeableConcept, Observation, Practitioner, Reference } from '@medplum/fhirtypes';
import { LOINC_SYSTEM, SNOMED_SYSTEM, UCUM_SYSTEM } from '../fhir/index.js';
import { CONSCIOUSNESS_CODINGS, CONSCIOUSNESS_LABELS, VITAL_SIGN_CODES, type Consciousness } from '../vital-signs/index.js';
import {
  BLOOD_PRESSURE,
  BODY_TEMPERATURE,
  BODY_WEIGHT,
  DIASTOLIC_BP,
  GLASGOW_COMA_SCORE,
  HEART_RATE,
  LAB_TESTS,
  OXYGEN_FLOW,
  OXYGEN_SATURATION,
  PAIN_SCORE,
  RESPIRATORY_RATE,
  SYSTOLIC_BP,
  type LabTestDefinition,
  type VitalSignDefinition,
} from './observation-codes.js';
import { deepFreeze } from './frozen.js';
import { metaFor, nurseAt, type PatientContext } from './patient-context.js';
import type { PhysiologyState } from './physiology.js';
import type { Rng } from './prng.js';
import { DAY, HOUR, MINUTE, isoInstant, startOfDay } from './time.js';

const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

const UCUM = UCUM_SYSTEM;

function quantity(def: { unit: string; unitText: string }, value: number) {
  return { value, unit: def.unitText, system: UCUM, code: def.unit };
}

const concepts = new Map<string, CodeableConcept>();

/** The shared, frozen LOINC concept of a vital sign or lab test. */
function concept(def: { code: string; display: string }): CodeableConcept {
  let c = concepts.get(def.code);
  if (!c) {
    c = deepFreeze({ coding: [{ system: LOINC_SYSTEM, code: def.code, display: def.display }], text: def.display });
    concepts.set(def.code, c);
  }
  return c;
}

const VITAL_SIGNS_CATEGORY: CodeableConcept[] = deepFreeze([
  { coding: [{ system: CATEGORY_SYSTEM, code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' },
]);
const LABORATORY_CATEGORY: CodeableConcept[] = deepFreeze([
  { coding: [{ system: CATEGORY_SYSTEM, code: 'laboratory', display: 'Laboratory' }], text: 'Laboratory' },
]);

const performerLists = new WeakMap<Reference<Practitioner>, Reference<Practitioner>[]>();

/** [nurse], shared and frozen per nurse. */
function performer(nurse: Reference<Practitioner>): Reference<Practitioner>[] {
  let list = performerLists.get(nurse);
  if (!list) {
    list = deepFreeze([nurse]);
    performerLists.set(nurse, list);
  }
  return list;
}

/** What one round measured, noise included, rounded and clamped to what a device shows. */
export interface RoundValues {
  readonly heartRate: number;
  readonly respiratoryRate: number;
  readonly temperature: number;
  readonly spo2: number;
  readonly systolic: number;
  readonly diastolic: number;
  readonly pain: number;
  readonly oxygenFlow: number;
  readonly gcs: number;
}

export function measureRound(rng: Rng, state: PhysiologyState, heartRateSd: number): RoundValues {
  const systolic = Math.round(clamp(state.systolic + rng.gaussian() * 8, 70, 230));
  return {
    heartRate: Math.round(clamp(state.heartRate + rng.gaussian() * heartRateSd, 35, 180)),
    respiratoryRate: Math.round(clamp(state.respiratoryRate + rng.gaussian() * 1.3, 8, 40)),
    temperature: round(clamp(state.temperature + rng.gaussian() * 0.18, 34.5, 41.5), 1),
    spo2: Math.round(clamp(state.spo2 + rng.gaussian() * 1.1, 78, 100)),
    systolic,
    diastolic: Math.round(clamp(state.diastolic + rng.gaussian() * 5, 35, systolic - 15)),
    pain: Math.round(clamp(state.pain + rng.gaussian() * 0.8, 0, 10)),
    oxygenFlow: round(clamp(Math.round(state.oxygenFlow * 2) / 2, 0, 15), 1),
    gcs: Math.round(clamp(state.gcs + (rng.chance(0.03) ? -1 : 0), 3, 15)),
  };
}

const ACVPU = { code: VITAL_SIGN_CODES.consciousness, display: 'Level of responsiveness' } as const;

/**
 * The level of responsiveness the nurse charts with a GCS: alert at 15 (or at a cognitively
 * impaired patient's usual 13–14), new confusion at 13–14 otherwise, then voice, pain, unresponsive.
 */
export function acvpuOf(gcs: number, cognitivelyImpaired: boolean): Consciousness {
  if (gcs >= 15 || (cognitivelyImpaired && gcs >= 13)) return 'alert';
  if (gcs >= 13) return 'new-confusion';
  if (gcs >= 9) return 'voice';
  if (gcs >= 6) return 'pain';
  return 'unresponsive';
}

const acvpuConcepts = new Map<Consciousness, CodeableConcept>();
function acvpuConcept(level: Consciousness): CodeableConcept {
  let c = acvpuConcepts.get(level);
  if (!c) {
    c = deepFreeze({ coding: [{ system: SNOMED_SYSTEM, ...CONSCIOUSNESS_CODINGS[level] }], text: CONSCIOUSNESS_LABELS[level] });
    acvpuConcepts.set(level, c);
  }
  return c;
}

/** Hourly observations while an episode is at least this far (0..1) towards its peak. */
export const ESCALATION_INTENSITY = 0.6;

export function buildVitals(ctx: PatientContext): Observation[] {
  const rng = ctx.stream('vitals');
  const out: Observation[] = [];
  const round0 = ctx.admissionMs + rng.int(15, 45) * MINUTE;
  if (round0 <= ctx.nowMs) chartRound(ctx, rng, round0, false, out);
  const firstHour = Math.ceil(round0 / HOUR) * HOUR;
  for (let hour = firstHour; hour <= ctx.nowMs; hour += HOUR) {
    const hourOfDay = Math.round((hour - startOfDay(hour)) / HOUR);
    const scheduled = hourOfDay % 4 === 2;
    if (!scheduled && ctx.physiology.intensityAt(hour) < ESCALATION_INTENSITY) continue;
    const at = hour + rng.int(0, 25) * MINUTE;
    if (at > ctx.nowMs) break;
    chartRound(ctx, rng, at, hourOfDay === 6, out);
  }
  return out;
}

function chartRound(ctx: PatientContext, rng: Rng, at: number, withWeight: boolean, out: Observation[]): void {
  const state = ctx.physiology.stateAt(at);
  const v = measureRound(rng, state, ctx.physiology.heartRateSd);
  const effective = isoInstant(at);
  const nurse = nurseAt(ctx, at);
  const vital = (def: VitalSignDefinition, value: number): Observation => ({
    resourceType: 'Observation',
    id: ctx.ids.uuid(),
    ...metaFor(ctx),
    status: 'final',
    category: VITAL_SIGNS_CATEGORY,
    code: concept(def),
    subject: ctx.subject,
    encounter: ctx.encounter,
    effectiveDateTime: effective,
    performer: performer(nurse),
    valueQuantity: quantity(def, value),
  });
  out.push(vital(HEART_RATE, v.heartRate), vital(RESPIRATORY_RATE, v.respiratoryRate), vital(BODY_TEMPERATURE, v.temperature));
  out.push(vital(OXYGEN_SATURATION, v.spo2));
  out.push({
    resourceType: 'Observation',
    id: ctx.ids.uuid(),
    ...metaFor(ctx),
    status: 'final',
    category: VITAL_SIGNS_CATEGORY,
    code: concept(BLOOD_PRESSURE),
    subject: ctx.subject,
    encounter: ctx.encounter,
    effectiveDateTime: effective,
    performer: performer(nurse),
    component: [
      { code: concept(SYSTOLIC_BP), valueQuantity: quantity(SYSTOLIC_BP, v.systolic) },
      { code: concept(DIASTOLIC_BP), valueQuantity: quantity(DIASTOLIC_BP, v.diastolic) },
    ],
  });
  out.push(vital(PAIN_SCORE, v.pain), vital(OXYGEN_FLOW, v.oxygenFlow), vital(GLASGOW_COMA_SCORE, v.gcs));
  const level = acvpuOf(v.gcs, ctx.traits.has('cognitiveImpairment'));
  out.push({
    resourceType: 'Observation',
    id: ctx.ids.uuid(),
    ...metaFor(ctx),
    status: 'final',
    category: VITAL_SIGNS_CATEGORY,
    code: concept(ACVPU),
    subject: ctx.subject,
    encounter: ctx.encounter,
    effectiveDateTime: effective,
    performer: performer(nurse),
    valueCodeableConcept: acvpuConcept(level),
  });
  if (withWeight) out.push(vital(BODY_WEIGHT, round(state.weight + rng.gaussian() * 0.3, 1)));
}

const LAB_NOISE: Readonly<Record<LabTestDefinition['key'], number>> = {
  sodium: 1.5,
  potassium: 0.2,
  creatinine: 0.06,
  glucose: 12,
  hemoglobin: 0.3,
  wbc: 0.6,
  platelets: 15,
};

const LAB_LIMITS: Readonly<Record<LabTestDefinition['key'], readonly [number, number]>> = {
  sodium: [118, 165],
  potassium: [2.2, 7.5],
  creatinine: [0.3, 9],
  glucose: [40, 550],
  hemoglobin: [5, 20],
  wbc: [0.8, 40],
  platelets: [15, 900],
};

export function buildLabs(ctx: PatientContext): Observation[] {
  const rng = ctx.stream('labs');
  const out: Observation[] = [];
  const range = (test: LabTestDefinition) => test.range[ctx.sex];
  for (let day = startOfDay(ctx.admissionMs) + 6 * HOUR; day <= ctx.nowMs; day += DAY) {
    const drawn = day + rng.int(-20, 40) * MINUTE;
    const issued = drawn + rng.int(60, 150) * MINUTE;
    if (drawn < ctx.admissionMs || issued > ctx.nowMs) continue;
    const state = ctx.physiology.stateAt(drawn);
    for (const test of LAB_TESTS) {
      const [low, high] = range(test);
      const [min, max] = LAB_LIMITS[test.key];
      const value = round(clamp(state[test.key] + rng.gaussian() * LAB_NOISE[test.key], min, max), test.decimals);
      out.push(labResult(ctx, test, value, low, high, drawn, issued));
    }
  }
  return out;
}

const INTERPRETATIONS: Readonly<Record<'H' | 'L' | 'N', CodeableConcept[]>> = deepFreeze({
  H: [{ coding: [{ system: INTERPRETATION_SYSTEM, code: 'H', display: 'High' }], text: 'High' }],
  L: [{ coding: [{ system: INTERPRETATION_SYSTEM, code: 'L', display: 'Low' }], text: 'Low' }],
  N: [{ coding: [{ system: INTERPRETATION_SYSTEM, code: 'N', display: 'Normal' }], text: 'Normal' }],
});

const referenceRanges = new Map<string, NonNullable<Observation['referenceRange']>>();

function referenceRange(test: LabTestDefinition, low: number, high: number): NonNullable<Observation['referenceRange']> {
  const key = `${test.code}|${low}|${high}`;
  let range = referenceRanges.get(key);
  if (!range) {
    range = deepFreeze([{ low: quantity(test, low), high: quantity(test, high) }]);
    referenceRanges.set(key, range);
  }
  return range;
}

function labResult(
  ctx: PatientContext,
  test: LabTestDefinition,
  value: number,
  low: number,
  high: number,
  drawn: number,
  issued: number,
): Observation {
  const flag = value > high ? 'H' : value < low ? 'L' : 'N';
  return {
    resourceType: 'Observation',
    id: ctx.ids.uuid(),
    ...metaFor(ctx),
    status: 'final',
    category: LABORATORY_CATEGORY,
    code: concept(test),
    subject: ctx.subject,
    encounter: ctx.encounter,
    effectiveDateTime: isoInstant(drawn),
    issued: isoInstant(issued),
    valueQuantity: quantity(test, value),
    interpretation: INTERPRETATIONS[flag],
    referenceRange: referenceRange(test, low, high),
  };
}
