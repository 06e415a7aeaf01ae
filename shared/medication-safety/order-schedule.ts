// What the frequency rule needs from a MedicationRequest's first dosage instruction: as needed or
// scheduled, the scheduled times of day, how many doses a day, the minimum interval between PRN
// doses and their daily maximum, and the ordered dose.
import type { MedicationRequest } from '../fhir/index.js';
import type { Dose } from './dose-rule.js';

export interface OrderSchedule {
  /** As needed (PRN): asNeededBoolean true or an asNeededCodeableConcept. */
  readonly prn: boolean;
  /** Scheduled times of day (hh:mm), for a scheduled order. */
  readonly timesOfDay: readonly string[];
  /** Doses per day of a scheduled order; null when the order does not say. */
  readonly dosesPerDay: number | null;
  /** The least time between two PRN doses (period / frequency); null when the order does not say. */
  readonly minIntervalMs: number | null;
  /** The most PRN doses in 24 hours (maxDosePerPeriod over the dose); null when the order does not say. */
  readonly maxDosesPerDay: number | null;
  readonly orderedDose: Dose | null;
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000, wk: 604_800_000 };
const DAY_MS = 86_400_000;

export function orderScheduleOf(order: MedicationRequest): OrderSchedule {
  const dosage = order.dosageInstruction?.[0];
  const repeat = dosage?.timing?.repeat;
  const prn = dosage?.asNeededBoolean === true || dosage?.asNeededCodeableConcept !== undefined;
  const quantity = dosage?.doseAndRate?.find((d) => d.doseQuantity !== undefined)?.doseQuantity;
  const orderedDose =
    quantity?.value !== undefined && (quantity.code ?? quantity.unit) !== undefined
      ? { value: quantity.value, unit: (quantity.code ?? quantity.unit)! }
      : null;
  const unitMs = repeat?.periodUnit === undefined ? undefined : UNIT_MS[repeat.periodUnit];
  const periodMs = repeat?.period !== undefined && unitMs !== undefined ? repeat.period * unitMs : null;
  const frequency = repeat?.frequency ?? 1;
  const timesOfDay = (repeat?.timeOfDay ?? []).map((time) => time.slice(0, 5));
  const max = dosage?.maxDosePerPeriod;
  const maxMs =
    max?.denominator?.value !== undefined && max.denominator.code !== undefined && UNIT_MS[max.denominator.code] !== undefined
      ? max.denominator.value * UNIT_MS[max.denominator.code]!
      : null;
  const maxDosesPerDay =
    max?.numerator?.value !== undefined && orderedDose !== null && orderedDose.value > 0 && maxMs === DAY_MS
      ? Math.floor(max.numerator.value / orderedDose.value + 1e-9)
      : null;
  return {
    prn,
    timesOfDay,
    dosesPerDay: prn ? null : periodMs === null ? (timesOfDay.length > 0 ? timesOfDay.length : null) : (frequency * DAY_MS) / periodMs,
    minIntervalMs: prn && periodMs !== null ? periodMs / frequency : null,
    maxDosesPerDay: prn ? maxDosesPerDay : null,
    orderedDose,
  };
}
