// Orders the e2e tests feed to the hub as the hospital's EHR would: synthetic, built here so each
// test states only what matters to it (the drug, the dose, the route).
import type { MedicationRequest } from '../../../shared/fhir/index.js';
import { RXNORM_SYSTEM, UCUM_SYSTEM } from '../../../shared/fhir/index.js';

/**
 * The hour (local time) of a dose due at `now`: this hour until half past, then the next (24 is
 * tomorrow's 00:00). A dose of that hour recorded within the next 30 minutes is on time (the default
 * window is ±60 minutes) and still "due" on the MAR. Taking the next hour only from 50 past left 9
 * minutes, which a slow run on a loaded machine could pass, and the dose was then late.
 */
export function hourDueAt(now: Date): number {
  return now.getMinutes() >= 30 ? now.getHours() + 1 : now.getHours();
}

export interface OrderDueNow {
  readonly order: MedicationRequest;
  /** The scheduled dose: this hour, or the next from half past (hourDueAt). */
  readonly slot: Date;
  /** Its time of day as the order states it, `HH:00:00`. */
  readonly timeOfDay: string;
}

/** An active once-daily order of `mg` mg of `medicine` (RxNorm `rxnorm`), its dose due this hour. */
export function onceDailyOrderDueNow(spec: {
  readonly id: string;
  readonly patientId: string;
  readonly medicine: string;
  readonly rxnorm: string;
  readonly mg: number;
  /** As the order's text says it: "orally", "subcutaneously". */
  readonly route: string;
}): OrderDueNow {
  const now = new Date();
  const slot = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hourDueAt(now));
  const timeOfDay = `${String(slot.getHours()).padStart(2, '0')}:00:00`;
  const order: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: spec.id,
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: RXNORM_SYSTEM, code: spec.rxnorm, display: spec.medicine }], text: spec.medicine },
    subject: { reference: `Patient/${spec.patientId}` },
    authoredOn: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    dosageInstruction: [
      {
        text: `${spec.mg} mg ${spec.route} once daily at ${timeOfDay.slice(0, 5)}`,
        timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: [timeOfDay] } },
        doseAndRate: [{ doseQuantity: { value: spec.mg, unit: 'mg', system: UCUM_SYSTEM, code: 'mg' } }],
      },
    ],
  };
  return { order, slot, timeOfDay };
}
