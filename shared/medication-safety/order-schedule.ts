// An order's schedule, read once from its structured dosage (never from the dosage text): as
// needed or scheduled (Dosage.asNeeded[x]), the days its doses fall on (dose-days.ts: every day,
// given weekdays, every N days, weeks, months or years from its anchor), the scheduled times of day on those days
// (Timing.repeat.timeOfDay, else its `when` events, else its frequency and period at the ward's
// standard times), how many doses a dose day and a cycle hold, the minimum interval between PRN
// doses and their daily maximum, and the ordered dose. The frequency rule, the MAR tab, the printed
// MAR and the host's documentation service all read it from here.
import type { MedicationRequest, Timing } from '../fhir/index.js';
import { EVERY_DAY, repeatDaysOf, type DoseDays } from './dose-days.js';
import type { Dose } from './dose-rule.js';
import { DAILY_ROUND_TIMES, EVENT_TIMES, INTERVAL_FIRST_HOUR } from './standard-times.js';

export interface OrderSchedule {
  /** As needed (PRN): asNeededBoolean true or an asNeededCodeableConcept. */
  readonly prn: boolean;
  /** Scheduled times of day (hh:mm, in order) on each dose day, for a scheduled order; empty for PRN. */
  readonly timesOfDay: readonly string[];
  /** The days the doses fall on and the cycle an extra dose is counted in (every day when the order says no more). */
  readonly doseDays: DoseDays;
  /** Doses on each dose day of a scheduled order; null when the order does not say. */
  readonly dosesPerDay: number | null;
  /** The least time between two PRN doses (period / frequency); null when the order does not say. */
  readonly minIntervalMs: number | null;
  /** The most PRN doses in 24 hours (maxDosePerPeriod over the dose); null when the order does not say. */
  readonly maxDosesPerDay: number | null;
  readonly orderedDose: Dose | null;
}

type Repeat = NonNullable<Timing['repeat']>;

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000, wk: 604_800_000 };
const DAY_MS = 86_400_000;

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The period of a repeat in milliseconds, or null when it does not say. */
function periodMsOf(repeat: Repeat | undefined): number | null {
  const unitMs = repeat?.periodUnit === undefined ? undefined : UNIT_MS[repeat.periodUnit];
  return typeof repeat?.period === 'number' && unitMs !== undefined ? repeat.period * unitMs : null;
}

/**
 * The times of day (hh:mm, sorted, distinct) at which a scheduled timing's doses fall: its
 * timeOfDay; else its `when` events at the ward's standard times; else, for a frequency over days
 * or weeks (once a week, every other day, twice a day) or an interval that divides the day, the
 * ward's standard rounds on each dose day (once a month: the morning round on its dose day). Empty
 * when the timing gives no time (every 7 hours, or no timing at all) or repeats in no whole days
 * (3 per 2 d, 2 per 1 mo).
 */
export function scheduledTimesOfDay(repeat: Repeat | undefined): string[] {
  if (repeat === undefined) return [];
  // No whole dose days (3 per 2 d, 2 per 1 mo): nothing to lay out, whatever the clock times.
  const days = repeatDaysOf(repeat, null);
  if (days === null) return [];
  const sorted = (times: readonly string[]): string[] => [...new Set(times)].sort();
  const clock = (repeat.timeOfDay ?? []).filter((t) => typeof t === 'string' && /^\d{2}:\d{2}/.test(t)).map((t) => t.slice(0, 5));
  if (clock.length > 0) return sorted(clock);
  const events = (repeat.when ?? []).flatMap((code) => EVENT_TIMES[code] ?? []);
  if (events.length > 0) return sorted(events);
  if (days.dosesPerDoseDay !== null) return [...(DAILY_ROUND_TIMES[days.dosesPerDoseDay] ?? everyInterval(DAY_MS / days.dosesPerDoseDay))];
  const periodMs = periodMsOf(repeat);
  const frequency = repeat.frequency ?? 1;
  if (periodMs === null || frequency < 1) return [];
  const intervalMs = periodMs / frequency;
  if (periodMs === DAY_MS) return [...(DAILY_ROUND_TIMES[frequency] ?? everyInterval(intervalMs))];
  return everyInterval(intervalMs);
}

/** Every `intervalMs` through the day from the ward's first hour, when the interval divides the day into whole minutes. */
function everyInterval(intervalMs: number): string[] {
  if (intervalMs <= 0 || intervalMs > DAY_MS || DAY_MS % intervalMs !== 0 || intervalMs % 60_000 !== 0) return [];
  const step = intervalMs / 60_000;
  const times: string[] = [];
  for (let minutes = INTERVAL_FIRST_HOUR * 60; minutes < INTERVAL_FIRST_HOUR * 60 + 24 * 60; minutes += step) times.push(hhmm(minutes));
  return [...new Set(times)].sort();
}

export function orderScheduleOf(order: MedicationRequest): OrderSchedule {
  const dosage = order.dosageInstruction?.[0];
  const repeat = dosage?.timing?.repeat;
  const prn = dosage?.asNeededBoolean === true || dosage?.asNeededCodeableConcept !== undefined;
  const quantity = dosage?.doseAndRate?.find((d) => d.doseQuantity !== undefined)?.doseQuantity;
  const orderedDose =
    quantity?.value !== undefined && (quantity.code ?? quantity.unit) !== undefined
      ? { value: quantity.value, unit: (quantity.code ?? quantity.unit)! }
      : null;
  const periodMs = periodMsOf(repeat);
  const frequency = repeat?.frequency ?? 1;
  const timesOfDay = prn ? [] : scheduledTimesOfDay(repeat);
  const anchor = repeat?.boundsPeriod?.start ?? order.authoredOn ?? null;
  const until = repeat?.boundsPeriod?.end ?? null;
  const doseDays = { ...(repeatDaysOf(repeat, anchor)?.days ?? { ...EVERY_DAY, anchor }), until };
  const max = dosage?.maxDosePerPeriod;
  const maxMs =
    max?.denominator?.value !== undefined && max.denominator.code !== undefined && UNIT_MS[max.denominator.code] !== undefined
      ? max.denominator.value * UNIT_MS[max.denominator.code]!
      : null;
  const maxDosesPerDay =
    max?.numerator?.value !== undefined && orderedDose !== null && orderedDose.value > 0 && maxMs === DAY_MS
      ? Math.floor(max.numerator.value / orderedDose.value + 1e-9)
      : null;
  const dosesPerDay = prn
    ? null
    : timesOfDay.length > 0 && (periodMs === null || periodMs <= DAY_MS || doseDays.cycleDays > 1 || doseDays.offsets.length > 1)
      ? timesOfDay.length
      : periodMs === null
        ? null
        : (frequency * DAY_MS) / periodMs;
  return {
    prn,
    timesOfDay,
    doseDays,
    dosesPerDay,
    minIntervalMs: prn && periodMs !== null ? periodMs / frequency : null,
    maxDosesPerDay: prn ? maxDosesPerDay : null,
    orderedDose,
  };
}
