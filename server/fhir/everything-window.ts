// Patient/$everything's `start`: only care from that date on (clinical dates, not record currency),
// with what matters whatever its date (the Patient, allergies, flags, active problems, standing
// orders) and anything undated always included. The store filters by its care_end_ms column.
import { FhirError } from './fhir-error.js';
import { parseInstantRange } from './store/index.js';

/** Stamps are microseconds. */
const MICROSECONDS_PER_MS = 1000;

/** The first instant (ms) of a `start` date or dateTime; a 400 when it is not one. */
export function everythingStartMs(text: string): number {
  const range = parseInstantRange(text);
  if (range === null) {
    throw new FhirError(400, 'INVALID_SEARCH', 'invalid', '$everything start takes a FHIR date or dateTime, e.g. 2026-01-01.', 'start');
  }
  return Math.floor(range.start / MICROSECONDS_PER_MS);
}
