// When an order's doses fall, for the downtime MAR: the times of day of its timing, as instants in a
// window, in the ward's zone (or in UTC when the order's recorded doses show the ward schedules in
// UTC); the doses due ahead that have no record yet, and those of the last 24 hours without one (missed).
import type { MarRow } from '../vault/index.js';
import { wallClock, type WallClock } from './print-time.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The instant at which `zone`'s clock reads the given date and time. */
function instantOf(date: WallClock, hour: number, minute: number, timeZone: string | undefined): number {
  const wanted = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const offsetAt = (ms: number): number => {
    const clock = wallClock(ms, timeZone);
    return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute) - Math.floor(ms / 60_000) * 60_000;
  };
  const first = wanted - offsetAt(wanted);
  return wanted - offsetAt(first);
}

/** Each scheduled instant of `timesOfDay` ("08:00") in [fromMs, toMs), in order. */
export function scheduledInstants(timesOfDay: readonly string[], fromMs: number, toMs: number, timeZone: string | undefined): number[] {
  const days = new Map<string, WallClock>();
  for (let ms = fromMs - DAY_MS; ms <= toMs + DAY_MS; ms += 6 * HOUR_MS) {
    const clock = wallClock(ms, timeZone);
    days.set(`${clock.year}-${clock.month}-${clock.day}`, clock);
  }
  const instants = new Set<number>();
  for (const day of days.values())
    for (const time of timesOfDay) {
      const [hour, minute] = time.split(':').map(Number) as [number, number];
      const at = instantOf(day, hour, minute, timeZone);
      if (at >= fromMs && at < toMs) instants.add(at);
    }
  return [...instants].sort((a, b) => a - b);
}

const hm = (ms: number, timeZone: string | undefined): string => {
  const clock = wallClock(ms, timeZone);
  return `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
};

/** The zone the order's times of day are in: UTC when its recorded doses sit on them in UTC but not in `timeZone`. */
function scheduleZone(row: MarRow, timeZone: string | undefined): string | undefined {
  const scheduled = row.administrations.map((a) => Date.parse(a.scheduledAt ?? '')).filter((ms) => !Number.isNaN(ms));
  const times = row.medication.timesOfDay;
  const inUtc = scheduled.some((ms) => times.includes(hm(ms, 'UTC')) && !times.includes(hm(ms, timeZone)));
  return inUtc ? 'UTC' : timeZone;
}

export interface OrderDoses {
  /** Scheduled doses from now to the look-ahead's end without a record, as ISO instants. */
  readonly due: readonly string[];
  /** Scheduled doses of the look-back (more than an hour ago) with no record at all. */
  readonly missed: readonly string[];
}

/** A scheduled dose with no record this long after its time counts as missed. */
const MISSED_AFTER_MS = HOUR_MS;

export function orderDoses(row: MarRow, nowMs: number, lookBackMs: number, aheadMs: number, timeZone: string | undefined): OrderDoses {
  if (row.medication.asNeeded || row.medication.timesOfDay.length === 0) return { due: [], missed: [] };
  const zone = scheduleZone(row, timeZone);
  const recorded = new Set(row.administrations.map((a) => Date.parse(a.scheduledAt ?? '')).filter((ms) => !Number.isNaN(ms)));
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    due: scheduledInstants(row.medication.timesOfDay, nowMs, nowMs + aheadMs, zone)
      .filter((ms) => !recorded.has(ms))
      .map(iso),
    missed: scheduledInstants(row.medication.timesOfDay, nowMs - lookBackMs, nowMs - MISSED_AFTER_MS, zone)
      .filter((ms) => !recorded.has(ms))
      .map(iso),
  };
}
