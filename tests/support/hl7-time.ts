// HL7 v2 times (DTM, YYYYMMDDHHMMSS in UTC) for the messages tests send. The hub refuses an event
// more than a day ahead of its clock, so a test dates its events relative to now, never on a fixed
// calendar day: it then passes whatever the machine's date.
const DAY_MS = 86_400_000;

/** The HL7 DTM of an instant, in UTC, to the second. */
export function hl7Time(at: Date | number): string {
  return new Date(at).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * A test's calendar: `at('081000')` is 08:10:00 UTC on the calendar's first day, `at('081000', 2)`
 * the same time two days later. The first day is `daysBack` days before today (UTC), fixed at the
 * first call (where the test uses it, not when its file loads), so events keep the order and the
 * spacing the test gives them and all lie in the past.
 */
export function hl7Calendar(daysBack = 30): (time: string, day?: number) => string {
  let firstDayMs: number | null = null;
  return (time, day = 0) => {
    if (!/^\d{2}(\d{2}(\d{2})?)?$/.test(time)) throw new Error(`not an HL7 time of day (HH[MM[SS]]): ${time}`);
    firstDayMs ??= Math.floor(Date.now() / DAY_MS) * DAY_MS - daysBack * DAY_MS;
    return `${hl7Time(firstDayMs + day * DAY_MS).slice(0, 8)}${time.padEnd(6, '0')}`;
  };
}

/** The ISO instant (UTC, milliseconds) of an HL7 DTM `YYYYMMDDHHMMSS`, as the hub stores it. */
export function isoOfHl7(dtm: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(dtm);
  if (!match) throw new Error(`not an HL7 DTM to the second: ${dtm}`);
  const [, year, month, day, hour, minute, second] = match;
  return new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`).toISOString();
}
