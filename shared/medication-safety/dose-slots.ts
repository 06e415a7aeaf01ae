// The scheduled doses of an order as instants: its times of day (order-schedule.ts) laid on its
// dose days (dose-days.ts: every day, given weekdays, every N days or weeks) of the ward's
// calendar over a window. FHIR timeOfDay has no zone: the ward's zone is meant, unless the
// order's recorded doses sit on those times in UTC and not in the ward's zone (a feed that
// schedules in UTC). The MAR tab, the printed MAR and the frequency rule use this one reading.

/** A zone's clock reading at an instant. */
export interface ZoneClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

import { anchorDayOf, dayNumberOf, EVERY_DAY, isDoseDay, isWithinEnd, type DoseDays } from './dose-days.js';
import { sameSlot, standingDoses, type RecordedDose } from './dose-records.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MINUTE_MS = 60_000;

const FORMATS = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let format = FORMATS.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    FORMATS.set(key, format);
  }
  return format;
}

/** What `timeZone`'s clock (the runtime's zone when absent) reads at `ms`. */
export function zoneClock(ms: number, timeZone?: string): ZoneClock {
  const parts = formatFor(timeZone).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

/** "hh:mm" on `timeZone`'s clock at `ms`. */
export function zoneTimeOfDay(ms: number, timeZone?: string): string {
  const clock = zoneClock(ms, timeZone);
  return `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
}

/** The instant at which `timeZone`'s clock reads the given day and time (across a DST change, the later reading). */
function instantOn(date: ZoneClock, hour: number, minute: number, timeZone: string | undefined): number {
  const wanted = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const offsetAt = (ms: number): number => {
    const clock = zoneClock(ms, timeZone);
    return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute) - Math.floor(ms / MINUTE_MS) * MINUTE_MS;
  };
  const first = wanted - offsetAt(wanted);
  return wanted - offsetAt(first);
}

/**
 * The zone an order's times of day are in: UTC when a recorded dose was scheduled on one of them
 * in UTC but not in `timeZone` (the ward's zone; the runtime's when absent), else `timeZone`.
 */
export function scheduleZoneOf(
  timesOfDay: readonly string[],
  recordedScheduledAt: readonly (string | null)[],
  timeZone: string | undefined,
): string | undefined {
  const inUtc = recordedScheduledAt
    .map((iso) => Date.parse(iso ?? ''))
    .filter((ms) => !Number.isNaN(ms))
    .some((ms) => timesOfDay.includes(zoneTimeOfDay(ms, 'UTC')) && !timesOfDay.includes(zoneTimeOfDay(ms, timeZone)));
  return inUtc ? 'UTC' : timeZone;
}

/** "yyyy-mm-dd" of a zone clock reading. */
const dateOf = (clock: ZoneClock): string => `${clock.year}-${String(clock.month).padStart(2, '0')}-${String(clock.day).padStart(2, '0')}`;

/** The ward-calendar day (yyyy-mm-dd) of an instant in `timeZone` (the runtime's when absent). */
export function zoneDayOf(iso: string, timeZone?: string): string {
  return dateOf(zoneClock(Date.parse(iso), timeZone));
}

/**
 * Each instant of `timesOfDay` ("08:00") in [fromMs, toMs) on `timeZone`'s calendar, in order, on
 * the order's dose days (every day when not given), from its start to its end (boundsPeriod).
 */
export function slotsBetween(
  timesOfDay: readonly string[],
  fromMs: number,
  toMs: number,
  timeZone: string | undefined,
  doseDays: DoseDays = EVERY_DAY,
): number[] {
  const days = new Map<string, ZoneClock>();
  for (let ms = fromMs - DAY_MS; ms <= toMs + DAY_MS; ms += 6 * HOUR_MS) {
    const clock = zoneClock(ms, timeZone);
    days.set(dateOf(clock), clock);
  }
  const anchorDay = anchorDayOf(doseDays.anchor, (iso) => zoneDayOf(iso, timeZone));
  const instants = new Set<number>();
  for (const [date, day] of days) {
    const dayNumber = dayNumberOf(date);
    if (!isDoseDay(doseDays, anchorDay, dayNumber) || (anchorDay !== null && dayNumber < anchorDay)) continue;
    for (const time of timesOfDay) {
      const [hour, minute] = time.split(':').map(Number) as [number, number];
      const at = instantOn(day, hour, minute, timeZone);
      if (at >= fromMs && at < toMs && isWithinEnd(doseDays, dayNumber, at, (iso) => zoneDayOf(iso, timeZone))) instants.add(at);
    }
  }
  return [...instants].sort((a, b) => a - b);
}

/** What the slots of an order need: the order's schedule and the doses already recorded against it. */
export interface SlotOrder {
  /** As needed: no slots. */
  readonly prn: boolean;
  readonly timesOfDay: readonly string[];
  /** The days the doses fall on (shared/medication-safety's reading of the order's timing). */
  readonly doseDays: DoseDays;
  /** When the order starts (authoredOn); no slot falls before it. */
  readonly startsAt: string | null;
  /**
   * Its recorded administrations (given, held or otherwise), each with its MAR state: one marked
   * entered in error does not record its slot (dose-records.ts).
   */
  readonly recorded: readonly RecordedDose[];
}

/**
 * The scheduled doses of an order in [fromMs, toMs) that have no record yet (no administration
 * that stands, i.e. not entered in error, scheduled within a minute of it), as epoch milliseconds in order. `timeZone` is the ward's zone
 * (the runtime's when absent).
 */
export function unrecordedSlots(order: SlotOrder, fromMs: number, toMs: number, timeZone?: string): number[] {
  if (order.prn || order.timesOfDay.length === 0) return [];
  const startMs = Date.parse(order.startsAt ?? '');
  const standing = standingDoses(order.recorded).map((dose) => dose.scheduledAt);
  const zone = scheduleZoneOf(order.timesOfDay, standing, timeZone);
  return slotsBetween(order.timesOfDay, Math.max(fromMs, Number.isNaN(startMs) ? fromMs : startMs), toMs, zone, order.doseDays).filter(
    (slot) => {
      const slotAt = new Date(slot).toISOString();
      return !standing.some((iso) => sameSlot(iso, slotAt));
    },
  );
}
