// Times as every screen, dialog and print shows them: 24-hour clinical formats (en-GB, local time;
// a print may name the ward's zone), FHIR instants for the host's windows, and the value of a
// datetime-local field. One formatter for the app.

const DATE_TIME_OPTIONS: Intl.DateTimeFormatOptions = {
  day: '2-digit',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};
const DATE_TIME = new Intl.DateTimeFormat('en-GB', DATE_TIME_OPTIONS);
const DATE_TIME_IN_ZONE = new Map<string, Intl.DateTimeFormat>();

function dateTimeIn(timeZone: string | undefined): Intl.DateTimeFormat {
  if (timeZone === undefined) return DATE_TIME;
  let format = DATE_TIME_IN_ZONE.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', { ...DATE_TIME_OPTIONS, timeZone });
    DATE_TIME_IN_ZONE.set(timeZone, format);
  }
  return format;
}
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DAY_TIME = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DAY_ONLY = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short' });
const DATE_ONLY = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', year: 'numeric', timeZone: 'UTC' });

function parsed(iso: string | number | null | undefined): Date | null {
  if (iso === null || iso === undefined || iso === '') return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "12 Mar 2026, 14:05" in local time (in `timeZone` when given: a print for the ward's zone), or "—" when unknown. */
export function formatDateTime(iso: string | number | null | undefined, timeZone?: string): string {
  const date = parsed(iso);
  return date === null ? '—' : dateTimeIn(timeZone).format(date);
}

/** "14:05" in local time, or "—". */
export function formatTime(iso: string | null | undefined): string {
  const date = parsed(iso);
  return date === null ? '—' : TIME.format(date);
}

/** "12 Mar, 14:05" in local time (a plot's axis, a MAR cell), or "—". */
export function formatDayTime(iso: string | null | undefined): string {
  const date = parsed(iso);
  return date === null ? '—' : DAY_TIME.format(date);
}

/** "14:05" on the same local day as `now` (an instant or epoch milliseconds), "12 Mar, 14:05" on another day (how recent: "data as of", "locked since", last vitals), or "—". */
export function formatRecentTime(iso: string | number | null | undefined, now: Date = new Date()): string {
  const date = parsed(iso);
  if (date === null) return '—';
  const sameDay = date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
  return sameDay ? TIME.format(date) : DAY_TIME.format(date);
}

/** Milliseconds since the epoch of an instant, or null when unknown or unreadable. */
export function instantMs(iso: string | null | undefined): number | null {
  return parsed(iso)?.getTime() ?? null;
}

/** A plot's time tick: "18:00" within a day, the day ("24 Nov") at midnight or over longer spans. */
export function formatTick(ms: number, spanMs: number): string {
  const date = new Date(ms);
  if (spanMs > 36 * 3_600_000 || (date.getHours() === 0 && date.getMinutes() === 0)) return DAY_ONLY.format(date);
  return TIME.format(date);
}

/** A FHIR date ("1978-03-12", "1978-03", "1978") as written, without a time-zone shift: "12 Mar 1978". */
export function formatCalendarDate(date: string | null | undefined): string {
  if (date === null || date === undefined) return '—';
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date.slice(0, 10));
  if (match === null) return '—';
  const [, year, month, day] = match;
  if (month === undefined) return String(year);
  const utc = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day ?? '1')));
  if (day === undefined) return new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(utc);
  return DATE_ONLY.format(utc);
}

/** An instant the host accepts (FHIR instant, UTC with milliseconds). */
export function instantOf(date: Date): string {
  return date.toISOString();
}

/** The window [now − before, now + after] as FHIR instants. */
export function windowAround(now: Date, beforeMs: number, afterMs: number): { from: string; to: string } {
  return { from: instantOf(new Date(now.getTime() - beforeMs)), to: instantOf(new Date(now.getTime() + afterMs)) };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The value of an <input type="datetime-local"> for `date` in local time: "2026-03-12T14:05". */
export function localInputValue(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The local time a datetime-local field holds, or null when empty or not a time. */
export function fromLocalInputValue(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (match === null) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s);
  return date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d ? date : null;
}
