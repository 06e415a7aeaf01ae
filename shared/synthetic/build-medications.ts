// Medication orders and the administration record (MAR).
//
// MedicationRequest: 3–8 active inpatient orders implied by the patient's problems (RxNorm clinical
// drugs), each with one dosageInstruction: timing.repeat {frequency, period 1, periodUnit "d",
// timeOfDay [scheduled times]} (or every 6 h as needed for pain), route (SNOMED CT) and
// doseAndRate[0].doseQuantity in mg.
//
// About one patient in four also has a weekly order (methotrexate, build-weekly-order.ts, added by
// generate-patient.ts from streams of its own, so these orders are the same with or without it):
// timing.repeat {frequency 1, period 1, periodUnit "wk", dayOfWeek [one weekday], timeOfDay},
// boundsPeriod.start at the order's start.
//
// MedicationAdministration: one per scheduled dose from the order's start until `now`. The scheduled
// time is in the extension SCHEDULED_TIME_EXTENSION_URL (valueDateTime); effectiveDateTime is when
// the dose was given, or when it was held. Most doses are given within 30 min of schedule; about 6%
// are late (61–180 min after); about 5% are held (status not-done with a statusReason). Doses due but
// not yet given at `now` have no record (the MAR shows them as due). PRN doses have no scheduled time.
import type { CodeableConcept, Condition, MedicationAdministration, MedicationRequest, Practitioner, Reference } from '@medplum/fhirtypes';
import { RXNORM_SYSTEM, SCHEDULED_TIME_EXTENSION_URL, SNOMED_SYSTEM, UCUM_SYSTEM } from '../fhir/index.js';
import {
  COMMON_WARD_MEDICATIONS,
  HOLD_REASONS,
  MEDICATIONS,
  ROUTES,
  type MedicationDefinition,
  type MedicationKey,
} from './clinical-catalog.js';
import type { ProblemList } from './build-problems.js';
import { deepFreeze } from './frozen.js';
import { metaFor, nurseAt, ref, type PatientContext } from './patient-context.js';
import type { Rng } from './prng.js';
import { DAY, HOUR, MINUTE, isoInstant, startOfDay, timeOfDayMs } from './time.js';

export interface Order {
  readonly request: MedicationRequest;
  readonly medication: MedicationDefinition;
  readonly startMs: number;
  readonly prn: boolean;
  /** Frozen pieces every administration of this order shares. */
  readonly shared: {
    readonly medication: CodeableConcept;
    readonly request: Reference<MedicationRequest>;
    readonly givenDosage: NonNullable<MedicationAdministration['dosage']>;
  };
}

const ADMINISTRATION_CATEGORY: CodeableConcept = deepFreeze({
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medication-admin-category', code: 'inpatient', display: 'Inpatient' }],
});

const FREQUENCY_WORDS = ['', 'once daily', 'twice daily', 'three times daily', 'four times daily'];

/** Which drugs: those the problems imply, minus allergies and duplicates, topped up to 3–8. */
function chooseMedications(rng: Rng, problems: ProblemList, allergyCodes: ReadonlySet<string>): MedicationKey[] {
  const wanted: MedicationKey[] = [];
  const add = (key: MedicationKey): void => {
    if (wanted.includes(key) || allergyCodes.has(MEDICATIONS[key].ingredient)) return;
    if (key === 'enoxaparin' && wanted.includes('warfarin')) return;
    if (key === 'warfarin' && wanted.includes('enoxaparin')) wanted.splice(wanted.indexOf('enoxaparin'), 1);
    if ((key === 'simvastatin' && wanted.includes('atorvastatin')) || (key === 'atorvastatin' && wanted.includes('simvastatin'))) return;
    wanted.push(key);
  };
  for (const key of problems.admission.medications) add(key);
  for (const problem of problems.chronic) for (const key of problem.medications) add(key);
  const target = rng.int(3, 8);
  for (const key of rng.sample(COMMON_WARD_MEDICATIONS, COMMON_WARD_MEDICATIONS.length)) {
    if (wanted.length >= target) break;
    add(key);
  }
  return wanted.slice(0, Math.max(target, 3));
}

const UCUM = UCUM_SYSTEM;

export function doseQuantity(mg: number) {
  return { value: mg, unit: 'mg', system: UCUM, code: 'mg' };
}

export function routeConcept(medication: MedicationDefinition) {
  const route = ROUTES[medication.route];
  return { coding: [{ system: SNOMED_SYSTEM, code: route.code, display: route.display }], text: route.display };
}

export function medicationConcept(medication: MedicationDefinition) {
  return { coding: [{ system: RXNORM_SYSTEM, code: medication.rxnorm, display: medication.display }], text: medication.display };
}

function buildOrder(ctx: PatientContext, rng: Rng, key: MedicationKey, reason: string | undefined): Order {
  const medication = MEDICATIONS[key];
  const prn = key === 'acetaminophen' && !ctx.traits.has('pain') && rng.chance(0.5);
  const lateStart = rng.chance(0.3) && ctx.nowMs - ctx.admissionMs > 2 * DAY;
  const startMs = lateStart
    ? ctx.admissionMs + rng.int(1, Math.min(5, Math.floor((ctx.nowMs - ctx.admissionMs) / DAY) - 1)) * DAY + rng.int(8, 16) * HOUR
    : ctx.admissionMs + rng.int(60, 180) * MINUTE;
  const route = ROUTES[medication.route];
  const times = medication.times;
  const dosage: NonNullable<MedicationRequest['dosageInstruction']>[number] = prn
    ? {
        sequence: 1,
        text: `${medication.doseMg} mg ${route.text} every 6 hours as needed for pain (max 4 doses in 24 hours)`,
        timing: { repeat: { frequency: 1, period: 6, periodUnit: 'h' } },
        asNeededCodeableConcept: { coding: [{ system: SNOMED_SYSTEM, code: '22253000', display: 'Pain' }], text: 'Pain' },
        route: routeConcept(medication),
        doseAndRate: [{ type: orderedType(), doseQuantity: doseQuantity(medication.doseMg) }],
        maxDosePerPeriod: {
          numerator: doseQuantity(medication.doseMg * 4),
          denominator: { value: 1, unit: 'day', system: UCUM_SYSTEM, code: 'd' },
        },
      }
    : {
        sequence: 1,
        text: `${medication.doseMg} mg ${route.text} ${FREQUENCY_WORDS[times.length] ?? `${times.length} times daily`} at ${times.map((t) => t.slice(0, 5)).join(', ')}`,
        timing: { repeat: { frequency: times.length, period: 1, periodUnit: 'd', timeOfDay: [...times] } },
        route: routeConcept(medication),
        doseAndRate: [{ type: orderedType(), doseQuantity: doseQuantity(medication.doseMg) }],
      };
  const request: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: ctx.ids.uuid(),
    ...metaFor(ctx),
    status: 'active',
    intent: 'order',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category', code: 'inpatient', display: 'Inpatient' }] },
    ],
    medicationCodeableConcept: medicationConcept(medication),
    subject: { ...ctx.subject },
    encounter: { ...ctx.encounter },
    authoredOn: isoInstant(startMs),
    requester: { ...ctx.attending },
    ...(reason === undefined ? {} : { reasonReference: [ref<Condition>('Condition', reason)] }),
    dosageInstruction: [dosage],
  };
  const shared = deepFreeze({
    medication: medicationConcept(medication),
    request: ref<MedicationRequest>('MedicationRequest', request.id!),
    givenDosage: { route: routeConcept(medication), dose: doseQuantity(medication.doseMg) },
  });
  return { request, medication, startMs, prn, shared };
}

export function orderedType() {
  return { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/dose-rate-type', code: 'ordered', display: 'Ordered' }] };
}

export interface BuiltMedications {
  readonly requests: MedicationRequest[];
  readonly administrations: MedicationAdministration[];
}

export function buildMedications(
  ctx: PatientContext,
  problems: ProblemList,
  conditionIdByCode: ReadonlyMap<string, string>,
  allergyCodes: ReadonlySet<string>,
): BuiltMedications {
  const rng = ctx.stream('medications');
  const keys = chooseMedications(rng, problems, allergyCodes);
  const reasonFor = (key: MedicationKey): string | undefined => {
    for (const p of [problems.admission, ...problems.chronic]) if (p.medications.includes(key)) return conditionIdByCode.get(p.code);
    return undefined;
  };
  const orders = keys.map((key) => buildOrder(ctx, rng, key, reasonFor(key)));
  const marRng = ctx.stream('mar');
  const administrations: MedicationAdministration[] = [];
  for (const order of orders) {
    if (order.prn) prnDoses(ctx, marRng, order, administrations);
    else scheduledDoses(ctx, marRng, order, administrations);
  }
  administrations.sort((a, b) => (a.effectiveDateTime! < b.effectiveDateTime! ? -1 : a.effectiveDateTime! > b.effectiveDateTime! ? 1 : 0));
  return { requests: orders.map((o) => o.request), administrations };
}

export function administration(
  ctx: PatientContext,
  order: Order,
  givenMs: number,
  performer: Reference<Practitioner>,
  scheduledMs: number | undefined,
  held: (typeof HOLD_REASONS)[number] | undefined,
): MedicationAdministration {
  return {
    resourceType: 'MedicationAdministration',
    id: ctx.ids.uuid(),
    ...metaFor(ctx),
    ...(scheduledMs === undefined ? {} : { extension: [{ url: SCHEDULED_TIME_EXTENSION_URL, valueDateTime: isoInstant(scheduledMs) }] }),
    status: held ? 'not-done' : 'completed',
    ...(held
      ? {
          statusReason: [
            held.code
              ? { coding: [{ system: SNOMED_SYSTEM, code: held.code, display: held.display! }], text: held.text }
              : { text: held.text },
          ],
        }
      : {}),
    category: ADMINISTRATION_CATEGORY,
    medicationCodeableConcept: order.shared.medication,
    subject: ctx.subject,
    context: ctx.encounter,
    effectiveDateTime: isoInstant(givenMs),
    performer: [{ actor: performer }],
    request: order.shared.request,
    // A held dose has no dosage: FHIR (mad-1) wants a dose or rate in every dosage given.
    ...(held ? {} : { dosage: order.shared.givenDosage }),
  };
}

function scheduledDoses(ctx: PatientContext, rng: Rng, order: Order, out: MedicationAdministration[]): void {
  const offsets = order.medication.times.map(timeOfDayMs);
  for (let day = startOfDay(order.startMs); day <= ctx.nowMs; day += DAY) {
    for (const offset of offsets) {
      const scheduledMs = day + offset;
      if (scheduledMs < order.startMs + 30 * MINUTE || scheduledMs > ctx.nowMs) continue;
      const roll = rng.next();
      const held = roll < 0.05 ? rng.pick(HOLD_REASONS) : undefined;
      const delay = held ? rng.int(0, 20) : roll < 0.11 ? rng.int(61, 180) : rng.int(-20, 30);
      const givenMs = scheduledMs + delay * MINUTE;
      if (givenMs > ctx.nowMs) continue;
      out.push(administration(ctx, order, givenMs, nurseAt(ctx, givenMs), scheduledMs, held));
    }
  }
}

/** As-needed analgesia: given when the patient's pain is 4/10 or more, at most every 6 hours. */
function prnDoses(ctx: PatientContext, rng: Rng, order: Order, out: MedicationAdministration[]): void {
  let lastMs = -Infinity;
  for (let t = order.startMs + HOUR; t <= ctx.nowMs; t += 2 * HOUR) {
    if (t - lastMs < 6 * HOUR) continue;
    const pain = ctx.physiology.stateAt(t).pain + rng.gaussian();
    if (pain < 4) continue;
    const givenMs = t + rng.int(5, 40) * MINUTE;
    if (givenMs > ctx.nowMs) break;
    out.push(administration(ctx, order, givenMs, nurseAt(ctx, givenMs), undefined, undefined));
    lastMs = givenMs;
  }
}
