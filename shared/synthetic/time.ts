// Time arithmetic for the generator, in UTC milliseconds, and the FHIR date/time strings it emits.
// Ward clock times (rounds, scheduled doses, shifts) are UTC: the synthetic ward lives at UTC+0.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** FHIR instant/dateTime to the second: "2026-01-15T08:00:00Z". */
export function isoInstant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** FHIR date: "2026-01-15". */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function startOfDay(ms: number): number {
  return ms - (((ms % DAY) + DAY) % DAY);
}

/** "09:30:00" → milliseconds after midnight. */
export function timeOfDayMs(time: string): number {
  const [h = '0', m = '0', s = '0'] = time.split(':');
  return Number(h) * HOUR + Number(m) * MINUTE + Number(s) * 1000;
}
