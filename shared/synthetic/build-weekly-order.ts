// A weekly medication order, for about one patient in four: oral methotrexate 15 mg once a week on
// one weekday at 08:00 (FHIR R4 Timing: frequency 1 per 1 wk, dayOfWeek, timeOfDay, boundsPeriod
// starting with the order), and its administrations: one per week on that weekday from the order's
// start until `now`, mostly on time, sometimes held. It draws from random and id streams of its
// own, so the patient's other resources are the same with or without it.
import type { MedicationAdministration, MedicationRequest } from '@medplum/fhirtypes';
import { administration, doseQuantity, medicationConcept, orderedType, routeConcept, type Order } from './build-medications.js';
import { HOLD_REASONS, ROUTES, WEEKLY_METHOTREXATE } from './clinical-catalog.js';
import { deepFreeze } from './frozen.js';
import { metaFor, nurseAt, ref, type PatientContext } from './patient-context.js';
import { DAY, MINUTE, isoInstant, startOfDay, timeOfDayMs } from './time.js';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** The share of patients with a weekly order. */
const WEEKLY_SHARE = 0.25;

export interface WeeklyOrder {
  readonly request: MedicationRequest;
  readonly administrations: MedicationAdministration[];
}

export function buildWeeklyOrder(patient: PatientContext, allergyCodes: ReadonlySet<string>): WeeklyOrder | null {
  const rng = patient.stream('weekly-medication');
  if (!rng.chance(WEEKLY_SHARE) || allergyCodes.has(WEEKLY_METHOTREXATE.ingredient)) return null;
  const ctx: PatientContext = { ...patient, ids: patient.stream('weekly-medication-ids') };
  const medication = WEEKLY_METHOTREXATE;
  const weekday = rng.int(0, 6);
  const startMs = ctx.admissionMs + rng.int(60, 180) * MINUTE;
  const time = medication.times[0]!;
  const route = ROUTES[medication.route];
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
    dosageInstruction: [
      {
        sequence: 1,
        text: `${medication.doseMg} mg ${route.text} once weekly on ${WEEKDAY_NAMES[weekday]} at ${time.slice(0, 5)}`,
        timing: {
          repeat: {
            boundsPeriod: { start: isoInstant(startMs) },
            frequency: 1,
            period: 1,
            periodUnit: 'wk',
            dayOfWeek: [WEEKDAYS[weekday]!],
            timeOfDay: [time],
          },
        },
        route: routeConcept(medication),
        doseAndRate: [{ type: orderedType(), doseQuantity: doseQuantity(medication.doseMg) }],
      },
    ],
  };
  const order: Order = {
    request,
    medication,
    startMs,
    prn: false,
    shared: deepFreeze({
      medication: medicationConcept(medication),
      request: ref<MedicationRequest>('MedicationRequest', request.id!),
      givenDosage: { route: routeConcept(medication), dose: doseQuantity(medication.doseMg) },
    }),
  };
  const administrations: MedicationAdministration[] = [];
  for (let day = startOfDay(startMs); day <= ctx.nowMs; day += DAY) {
    if (new Date(day).getUTCDay() !== weekday) continue;
    const scheduledMs = day + timeOfDayMs(time);
    if (scheduledMs < startMs + 30 * MINUTE || scheduledMs > ctx.nowMs) continue;
    const held = rng.chance(0.05) ? rng.pick(HOLD_REASONS) : undefined;
    const givenMs = scheduledMs + (held ? rng.int(0, 20) : rng.int(-20, 30)) * MINUTE;
    if (givenMs > ctx.nowMs) continue;
    administrations.push(administration(ctx, order, givenMs, nurseAt(ctx, givenMs), scheduledMs, held));
  }
  return { request, administrations };
}
