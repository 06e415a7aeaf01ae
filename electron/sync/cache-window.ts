// The cache window of one patient: care from `daysBeforeAdmission` days before this admission on
// (docs/DESIGN.md, data minimisation), and the `start` that asks the hub's $everything for just that.
const DAY_MS = 24 * 60 * 60_000;

/**
 * Where the window opens (ms): the admission (the earliest period.start of the patient's in-progress
 * Encounters on the ward) minus `daysBeforeAdmission` days. An Encounter without a usable start is
 * anchored at the census' hub time instead (the smaller cache).
 *
 * Anchored at the admission, the window does not move during a stay: nothing cached ages out of it
 * while the patient is on the ward, so nothing needs purging before discharge or transfer.
 */
export function cacheWindowStartMs(admission: string | undefined, daysBeforeAdmission: number, censusTime: string): number {
  const admittedMs = admission === undefined ? Number.NaN : Date.parse(admission);
  const anchorMs = Number.isFinite(admittedMs) ? admittedMs : Date.parse(censusTime);
  return anchorMs - daysBeforeAdmission * DAY_MS;
}

/**
 * $everything's `start` (a FHIR date) for a window opening at `windowStartMs`: the UTC day before,
 * so a hub reading the date in any time zone (±14 h) still sends all of the window. What the hub
 * sends of that extra day the workstation leaves out itself.
 */
export function everythingStartParam(windowStartMs: number): string {
  return new Date(windowStartMs - DAY_MS).toISOString().slice(0, 10);
}
