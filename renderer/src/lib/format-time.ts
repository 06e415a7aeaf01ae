// Times as the screens print them: "10:42" today, "12 Mar 10:42" on another day (24-hour clock,
// the workstation's time zone). Unreadable input gives null, never "Invalid Date".

const CLOCK = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });

function toDate(value: string | number): Date | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "10:42" on the same local day as `now`, "12 Mar 10:42" otherwise; null when unreadable. */
export function shortTime(value: string | number | null, now: Date = new Date()): string | null {
  if (value === null) return null;
  const date = toDate(value);
  if (date === null) return null;
  const sameDay = date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
  return sameDay ? CLOCK.format(date) : `${DAY.format(date)} ${CLOCK.format(date)}`;
}

/** Milliseconds since the epoch, or null when unreadable. */
export function epochOf(value: string | null): number | null {
  if (value === null) return null;
  return toDate(value)?.getTime() ?? null;
}
