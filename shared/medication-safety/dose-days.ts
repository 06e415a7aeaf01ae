// Which days of the ward's calendar an order's doses fall on, read from FHIR R4 Timing.repeat: every
// day (the default); on given weekdays (dayOfWeek, mon..sun), every week or every N weeks
// (period N, periodUnit "wk"); or every N days or weeks with no weekday (frequency 1 per 2 d, 1 per
// 1 wk), counted from the order's anchor: Timing.repeat.boundsPeriod.start, else its authoredOn,
// and never after Timing.repeat.boundsPeriod.end (the last day of the order, inclusive).
// Days are calendar days in the ward's zone (never 24-hour steps), so a weekly dose stays on its
// weekday across a daylight-saving change. The slots (dose-slots.ts) and the frequency rule read
// the days from here; a cycle (a day, a week, two days…) is the period an extra dose is counted in.
import type { Timing } from '../fhir/index.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface DoseDays {
  /** How many days the order's pattern repeats over: 1 every day, 2 every other day, 7 weekly, 14 every other week. */
  readonly cycleDays: number;
  /** The days of each cycle (0 = its first day) that have doses, in order. */
  readonly offsets: readonly number[];
  /** Cycles start on the Monday of the anchor's week (a dayOfWeek order), else on the anchor's day. */
  readonly weekAligned: boolean;
  /** The day cycles count from: boundsPeriod.start, else the order's authoredOn (date or instant); null when neither. */
  readonly anchor: string | null;
  /** boundsPeriod.end: no dose after it (a date: that whole day; an instant: that moment); null or absent when open-ended. */
  readonly until?: string | null;
}

/** Doses on every day. */
export const EVERY_DAY: DoseDays = { cycleDays: 1, offsets: [0], weekAligned: false, anchor: null };

type Repeat = NonNullable<Timing['repeat']>;

const DAY_MS = 86_400_000;
const DATE_ONLY = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

const mod = (n: number, m: number): number => ((n % m) + m) % m;

/** The ward-calendar day number (days since 1970-01-01) of a "yyyy-mm-dd" date. */
export function dayNumberOf(date: string): number {
  const match = DATE_ONLY.exec(date.slice(0, 10));
  if (match === null) return Number.NaN;
  return Date.UTC(Number(match[1]), Number(match[2] ?? 1) - 1, Number(match[3] ?? 1)) / DAY_MS;
}

/** The weekday of a day number. */
export function weekdayOf(dayNumber: number): Weekday {
  // 1970-01-01 was a Thursday.
  return WEEKDAYS[mod(dayNumber + 3, 7)]!;
}

/**
 * The ward-calendar day of an order's anchor: a FHIR date as written (it has no zone), an instant
 * on the ward's calendar by `dayOf` (which answers "yyyy-mm-dd"); null without an anchor.
 */
export function anchorDayOf(anchor: string | null, dayOf: (iso: string) => string): number | null {
  if (anchor === null) return null;
  const day = DATE_ONLY.test(anchor) ? dayNumberOf(anchor) : Number.isNaN(Date.parse(anchor)) ? Number.NaN : dayNumberOf(dayOf(anchor));
  return Number.isNaN(day) ? null : day;
}

/**
 * True when an instant on ward day `dayNumber` falls on or before the order's boundsPeriod.end
 * (a FHIR date covers its whole day; an instant ends at that moment; no end: always true).
 */
export function isWithinEnd(days: DoseDays, dayNumber: number, atMs: number, dayOf: (iso: string) => string): boolean {
  const until = days.until ?? null;
  if (until === null) return true;
  if (!DATE_ONLY.test(until)) {
    const endMs = Date.parse(until);
    return Number.isNaN(endMs) || atMs <= endMs;
  }
  const untilDay = anchorDayOf(until, dayOf);
  return untilDay === null || dayNumber <= untilDay;
}

/** The day the cycle holding day 0 of the anchor starts on (with no anchor, the first Monday of 1970, or day 0). */
function cycleStartOf(days: DoseDays, anchorDay: number | null): number {
  const anchor = anchorDay ?? (days.weekAligned ? 4 : 0);
  return days.weekAligned ? anchor - mod(anchor + 3, 7) : anchor;
}

/** Which cycle of the order (0 = the anchor's) a day falls in: doses beyond the order's count in one cycle are extra. */
export function cycleOf(days: DoseDays, anchorDay: number | null, dayNumber: number): number {
  return Math.floor((dayNumber - cycleStartOf(days, anchorDay)) / days.cycleDays);
}

/** True when the order has doses on this day. */
export function isDoseDay(days: DoseDays, anchorDay: number | null, dayNumber: number): boolean {
  return days.offsets.includes(mod(dayNumber - cycleStartOf(days, anchorDay), days.cycleDays));
}

/** The order's period in whole days, when its unit is days or weeks; null otherwise (hours, months, none). */
function periodDaysOf(repeat: Repeat): number | null {
  if (typeof repeat.period !== 'number' || !Number.isInteger(repeat.period) || repeat.period < 1) return null;
  if (repeat.periodUnit === 'd') return repeat.period;
  if (repeat.periodUnit === 'wk') return repeat.period * 7;
  return null;
}

export interface RepeatDays {
  readonly days: DoseDays;
  /** Doses on each dose day when the timing names no clock time (a frequency over days or weeks). */
  readonly dosesPerDoseDay: number | null;
}

/**
 * The dose days of a timing and how many doses each has, when no clock time is named. Null when
 * the timing repeats over months or years (calendar months are not laid out), or over days or
 * weeks in a way that has no whole dose days (3 per 2 d): such an order gets no slots.
 */
export function repeatDaysOf(repeat: Repeat | undefined, anchor: string | null): RepeatDays | null {
  if (repeat === undefined) return { days: { ...EVERY_DAY, anchor }, dosesPerDoseDay: null };
  if (repeat.periodUnit === 'mo' || repeat.periodUnit === 'a') return null;
  const frequency = repeat.frequency ?? 1;
  const periodDays = periodDaysOf(repeat);
  const weekdays = [...new Set((repeat.dayOfWeek ?? []).map((d) => WEEKDAYS.indexOf(d as Weekday)).filter((i) => i >= 0))].sort();
  if (weekdays.length > 0) {
    const weeks = repeat.periodUnit === 'wk' && periodDaysOf(repeat) !== null ? repeat.period! : 1;
    // Over a week or more, the frequency is shared among the weekdays; over a day or hours, it is each day's.
    const perDay = periodDays !== null && periodDays >= 7 ? frequency / weekdays.length : null;
    return {
      days: { cycleDays: 7 * weeks, offsets: weekdays, weekAligned: true, anchor },
      dosesPerDoseDay: perDay === null ? null : Number.isInteger(perDay) && perDay >= 1 ? perDay : 1,
    };
  }
  if (periodDays === null || periodDays === 1) return { days: { ...EVERY_DAY, anchor }, dosesPerDoseDay: null };
  if (frequency >= periodDays) {
    return frequency % periodDays === 0 ? { days: { ...EVERY_DAY, anchor }, dosesPerDoseDay: frequency / periodDays } : null;
  }
  if (frequency < 1 || !Number.isInteger(frequency)) return null;
  const offsets = [...new Set(Array.from({ length: frequency }, (_, i) => Math.floor((i * periodDays) / frequency)))];
  return { days: { cycleDays: periodDays, offsets, weekAligned: false, anchor }, dosesPerDoseDay: 1 };
}
