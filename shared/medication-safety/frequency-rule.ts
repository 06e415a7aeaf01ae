// Right frequency: a scheduled order's dose belongs to one of its scheduled times on one of its
// dose days, and only one record is made per scheduled dose, never more doses in a cycle (a day
// for a daily order, a week for a weekly one, two days for every other day: dose-days.ts) than
// the order holds, by the cycle a dose is scheduled for and by the cycle it is given in: next
// week's dose given this week is an extra dose this week. An extra dose of a scheduled order is
// refused (it needs a new order). An as-needed (PRN) dose must keep the order's minimum interval
// since the last dose given and its daily maximum.
import { anchorDayOf, cycleOf, dayNumberOf, isDoseDay, isWithinEnd } from './dose-days.js';
import { sameSlot } from './dose-records.js';
import type { OrderSchedule } from './order-schedule.js';

export interface EarlierDose {
  readonly scheduledAt: string | null;
  /** When given or held. */
  readonly administeredAt: string | null;
  readonly given: boolean;
}

export interface DoseToCheck {
  readonly scheduledAt: string | null;
  readonly effectiveAt: string;
  readonly given: boolean;
}

export type FrequencyFinding =
  | { readonly kind: 'ok' }
  | { readonly kind: 'unscheduled-extra' }
  | { readonly kind: 'not-a-scheduled-time' }
  | { readonly kind: 'already-recorded' }
  | { readonly kind: 'beyond-frequency' }
  | { readonly kind: 'prn-too-soon'; readonly nextAllowedAt: string }
  | { readonly kind: 'prn-daily-maximum' };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The ward's calendar: the day (yyyy-mm-dd) of an instant, and the times of day (hh:mm) it may
 * stand for. FHIR timeOfDay has no zone, so the host answers both its local time and UTC (the MAR
 * tells the two apart the same way).
 */
export interface WardClock {
  dayOf(iso: string): string;
  timesOfDayOf(iso: string): readonly string[];
}

/** The ward clock of a runtime: local day, local and UTC times of day. */
export const localWardClock: WardClock = {
  dayOf: (iso) => {
    const d = new Date(iso);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  },
  timesOfDayOf: (iso) => {
    const d = new Date(iso);
    const local = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    return [local, d.toISOString().slice(11, 16)];
  },
};

export function checkFrequency(
  order: OrderSchedule,
  earlier: readonly EarlierDose[],
  dose: DoseToCheck,
  clock: WardClock,
): FrequencyFinding {
  if (order.prn) {
    if (!dose.given) return { kind: 'ok' };
    const at = Date.parse(dose.effectiveAt);
    const given = earlier.filter((d) => d.given && d.administeredAt !== null).map((d) => Date.parse(d.administeredAt!));
    const before = given.filter((ms) => ms <= at);
    const last = before.length === 0 ? null : Math.max(...before);
    if (order.minIntervalMs !== null && last !== null && at - last < order.minIntervalMs) {
      return { kind: 'prn-too-soon', nextAllowedAt: new Date(last + order.minIntervalMs).toISOString() };
    }
    if (order.maxDosesPerDay !== null && given.filter((ms) => ms >= at - DAY && ms <= at).length >= order.maxDosesPerDay) {
      return { kind: 'prn-daily-maximum' };
    }
    return { kind: 'ok' };
  }
  if (dose.scheduledAt === null) return { kind: 'unscheduled-extra' };
  const slot = Date.parse(dose.scheduledAt);
  const days = order.doseDays;
  const anchorDay = anchorDayOf(days.anchor, (iso) => clock.dayOf(iso));
  const cycle = (iso: string): number => cycleOf(days, anchorDay, dayNumberOf(clock.dayOf(iso)));
  if (
    order.timesOfDay.length > 0 &&
    (!clock.timesOfDayOf(dose.scheduledAt).some((time) => order.timesOfDay.includes(time)) ||
      !isDoseDay(days, anchorDay, dayNumberOf(clock.dayOf(dose.scheduledAt))))
  ) {
    return { kind: 'not-a-scheduled-time' };
  }
  if (!isWithinEnd(days, dayNumberOf(clock.dayOf(dose.scheduledAt)), slot, (iso) => clock.dayOf(iso))) {
    return { kind: 'not-a-scheduled-time' };
  }
  if (earlier.some((d) => sameSlot(d.scheduledAt, dose.scheduledAt))) {
    return { kind: 'already-recorded' };
  }
  const perCycle = order.dosesPerDay === null ? null : order.dosesPerDay * days.offsets.length;
  const slotCycle = cycle(dose.scheduledAt);
  const sameCycle = earlier.filter((d) => {
    const anchor = d.scheduledAt ?? d.administeredAt;
    return anchor !== null && cycle(anchor) === slotCycle;
  });
  if (perCycle !== null && sameCycle.length >= perCycle) return { kind: 'beyond-frequency' };
  // A later cycle's dose given ahead of its cycle is an extra dose in the cycle it is given in when
  // that cycle's own doses are all given (yesterday's late dose given after midnight does not count).
  const givenCycle = cycle(dose.effectiveAt);
  if (dose.given && perCycle !== null && slotCycle > givenCycle) {
    const givenThatCycle = earlier.filter(
      (d) =>
        d.given &&
        d.administeredAt !== null &&
        cycle(d.administeredAt) === givenCycle &&
        (d.scheduledAt === null || cycle(d.scheduledAt) >= givenCycle),
    );
    if (givenThatCycle.length >= perCycle) return { kind: 'beyond-frequency' };
  }
  return { kind: 'ok' };
}
