// Patient/$everything's `start`: only care from that date on (clinical dates, not record currency),
// with what matters whatever its date (the Patient, allergies, flags, active problems, standing
// orders) always included. A resource without a clinical date is included.
import { isInCareWindow, type Resource } from '../../shared/fhir/index.js';
import { FhirError } from './fhir-error.js';
import { contentText, parseInstantRange, type StoredResource } from './store/index.js';

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

/** The rows whose care reaches `startMs` (all of them when there is no start). */
export function rowsInWindow(rows: readonly StoredResource[], startMs: number | null): readonly StoredResource[] {
  if (startMs === null) return rows;
  return rows.filter((row) => {
    const text = contentText(row);
    return text !== null && isInCareWindow(JSON.parse(text) as Resource, startMs);
  });
}
