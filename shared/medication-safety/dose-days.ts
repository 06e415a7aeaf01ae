// Which days of the ward's calendar an order's doses fall on, read from FHIR R4 Timing.repeat: every
// day (the default); on given weekdays (dayOfWeek, mon..sun), every week or every N weeks
// (period N, periodUnit "wk"); or every N days or weeks with no weekday (frequency 1 per 2 d, 1 per
// 1 wk); or once every N months or years (1 per 1 mo, 1 per 3 mo, 1 per 1 a), counted from the
// order's anchor: Timing.repeat.boundsPeriod.start, else its authoredOn, and never after
// Timing.repeat.boundsPeriod.end (the last day of the order, inclusive).
// Months and years are calendar months (a year is 12 of them): the dose falls on the anchor's day
// of the month, or on the month's last day when the month is shorter (anchored on 31 January: 28 or
// 29 February, 31 March, 30 April; on 29 February, yearly: 28 February in a common year). It never
// spills into the next month and never drifts: the month after a short one is back on the anchor's
// day. A monthly cycle runs from one dose day to the day before the next, so an extra dose is
// counted from dose to dose. Several doses a month (2 per 1 mo) or weekdays in a month have no
// whole dose days here: such an order gets no slots (as 3 per 2 d). A monthly order with no
// anchor gets no slots either: its day of the month is unknown.
// Days are calendar days in the ward's zone (never 24-hour steps), so a weekly dose stays on its
// weekday across a daylight-saving change. The slots (dose-slots.ts) and the frequency rule read
// the days from here; a cycle (a day, a week, two days…) is the period an extra dose is counted in.
import type { Timing } from '../fhir/index.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface DoseDays {
  /**
   * How many days the order's pattern repeats over: 1 every day, 2 every other day, 7 weekly, 14
   * every other week; for a cycle of calendar months, the most days one can last (31 a month).
   */
  readonly cycleDays: number;
  /** The days of each cycle (0 = its first day) that have doses, in order. */
  readonly offsets: readonly number[];
  /** Cycles start on the Monday of the anchor's week (a dayOfWeek order), else on the anchor's day. */
  readonly weekAligned: boolean;
  /** The day cycles count from: boundsPeriod.start, else the order's authoredOn (date or instant); null when neither. */
  readonly anchor: string | null;
  /** boundsPeriod.end: no dose after it (a date: that whole day; an instant: that moment); null or absent when open-ended. */
  readonly until?: string | null;
  /** Calendar months a cycle lasts, for an order repeating monthly (1 per N mo) or yearly (12 per year); absent otherwise. */
  readonly cycleMonths?: number;
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

/** A day number's calendar month (months since January 1970) and day of the month. */
function monthAndDayOf(dayNumber: number): { month: number; day: number } {
  const date = new Date(dayNumber * DAY_MS);
  return { month: (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth(), day: date.getUTCDate() };
}

/** The dose day of a monthly order in a month: the anchor's day of the month, or the month's last day when it is shorter. */
function monthlyDoseDayIn(month: number, anchorDayOfMonth: number): number {
  const year = 1970 + Math.floor(month / 12);
  const monthOfYear = mod(month, 12);
  const lastDay = new Date(Date.UTC(year, monthOfYear + 1, 0)).getUTCDate();
  return Date.UTC(year, monthOfYear, Math.min(anchorDayOfMonth, lastDay)) / DAY_MS;
}

/** The cycle of a monthly or yearly order a day falls in: cycle k starts on the dose day k × months after the anchor's month. */
function monthlyCycleOf(months: number, anchorDay: number, dayNumber: number): number {
  const anchor = monthAndDayOf(anchorDay);
  const cycle = Math.floor((monthAndDayOf(dayNumber).month - anchor.month) / months);
  return dayNumber < monthlyDoseDayIn(anchor.month + cycle * months, anchor.day) ? cycle - 1 : cycle;
}

/** Which cycle of the order (0 = the anchor's) a day falls in: doses beyond the order's count in one cycle are extra. */
export function cycleOf(days: DoseDays, anchorDay: number | null, dayNumber: number): number {
  if (days.cycleMonths !== undefined) return monthlyCycleOf(days.cycleMonths, anchorDay ?? 0, dayNumber);
  return Math.floor((dayNumber - cycleStartOf(days, anchorDay)) / days.cycleDays);
}

/** True when the order has doses on this day. */
export function isDoseDay(days: DoseDays, anchorDay: number | null, dayNumber: number): boolean {
  if (days.cycleMonths !== undefined) {
    if (anchorDay === null) return false;
    const anchor = monthAndDayOf(anchorDay);
    const month = monthAndDayOf(dayNumber).month;
    return mod(month - anchor.month, days.cycleMonths) === 0 && dayNumber === monthlyDoseDayIn(month, anchor.day);
  }
  return days.offsets.includes(mod(dayNumber - cycleStartOf(days, anchorDay), days.cycleDays));
}

/** The order's period in whole days, when its unit is days or weeks; null otherwise (hours, none; months are monthlyDaysOf's). */
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

/** The longest monthly or yearly cycle laid out: ten years. */
export const MAX_CYCLE_MONTHS = 120;

/**
 * A timing that repeats once every N months or years: one dose day a cycle, on the anchor's day of
 * the month (dose-days.ts header). Null for several doses a cycle or weekdays (no whole dose days)
 * or a period that is not a whole number of at most ten years.
 */
function monthlyDaysOf(repeat: Repeat, anchor: string | null): RepeatDays | null {
  const period = repeat.period;
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 1) return null;
  if ((repeat.frequency ?? 1) !== 1 || (repeat.dayOfWeek ?? []).length > 0) return null;
  const months = repeat.periodUnit === 'a' ? period * 12 : period;
  if (months > MAX_CYCLE_MONTHS) return null;
  return { days: { cycleDays: months * 31, offsets: [0], weekAligned: false, anchor, cycleMonths: months }, dosesPerDoseDay: 1 };
}

/**
 * The dose days of a timing and how many doses each has, when no clock time is named. Null when
 * the timing repeats in a way that has no whole dose days (3 per 2 d, 2 per 1 mo): such an order
 * gets no slots.
 */
export function repeatDaysOf(repeat: Repeat | undefined, anchor: string | null): RepeatDays | null {
  if (repeat === undefined) return { days: { ...EVERY_DAY, anchor }, dosesPerDoseDay: null };
  if (repeat.periodUnit === 'mo' || repeat.periodUnit === 'a') return monthlyDaysOf(repeat, anchor);
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
