// The cache window of one patient: care from `daysBeforeAdmission` days before this admission on
// (docs/DESIGN.md, data minimisation), and the `start` that asks the hub's $everything for just that.
import { cacheWindowStartMs } from '../../shared/fhir/index.js';

const DAY_MS = 24 * 60 * 60_000;

export { cacheWindowStartMs };

/**
 * $everything's `start` (a FHIR date) for a window opening at `windowStartMs`: the UTC day before,
 * so a hub reading the date in any time zone (±14 h) still sends all of the window. What the hub
 * sends of that extra day the workstation leaves out itself.
 */
export function everythingStartParam(windowStartMs: number): string {
  return new Date(windowStartMs - DAY_MS).toISOString().slice(0, 10);
}
