// How times appear on a print: "YYYY-MM-DD HH:mm" in the workstation's zone, the mark every page
// carries, and the file name (a UTC timestamp, never a patient's name).

/** A zone's clock reading at an instant. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** What `timeZone`'s clock (the host's zone when absent) reads at `ms`. */
export function wallClock(ms: number, timeZone?: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

const two = (n: number): string => (Number.isNaN(n) ? '??' : String(n).padStart(2, '0'));

/** `ms` as "YYYY-MM-DD HH:mm" in `timeZone` (the host's zone when absent). */
export function localMinute(ms: number, timeZone?: string): string {
  const clock = wallClock(ms, timeZone);
  return `${Number.isNaN(clock.year) ? '????' : clock.year}-${two(clock.month)}-${two(clock.day)} ${two(clock.hour)}:${two(clock.minute)}`;
}

/** An ISO time as localMinute, or `fallback` when absent or unreadable. */
export function printedTime(iso: string | null, timeZone: string | undefined, fallback = ''): string {
  if (iso === null) return fallback;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? fallback : localMinute(ms, timeZone);
}

/** "Printed by <user> at <time> — data as of <time>" ("data as of: not synced" before the first sync). */
export function printMark(printedBy: string, printedAt: number, dataAsOf: string | null, timeZone?: string): string {
  const asOf = printedTime(dataAsOf, timeZone);
  return `Printed by ${printedBy} at ${localMinute(printedAt, timeZone)} — ${asOf === '' ? 'data as of: not synced' : `data as of ${asOf}`}`;
}

/** wardline-mar-20261124T104215Z.pdf: the print time in UTC. */
export function marFileName(printedAt: number): string {
  const stamp = new Date(printedAt)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `wardline-mar-${stamp}.pdf`;
}
