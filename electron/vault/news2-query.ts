// A patient's NEWS2 as the census and the chart summary lead with it (shared/vital-signs
// latestNews2: the latest complete round, and a newer incomplete one beside it). The latest
// observation of each code decides it when the newest round is complete (every census row on a
// ward charting full rounds); otherwise the trends of the scored codes are read back, in growing
// windows, until a complete round is found or the patient's whole record has been read.
import {
  latestNews2,
  NEWS2_CODES,
  news2Summary,
  type LatestNews2,
  type News2Summary,
  type VitalObservationReading,
} from '../../shared/vital-signs/index.js';
import type { LatestObservation } from './chart-types.js';
import type { ObservationQueries } from './observation-queries.js';

const HOUR_MS = 60 * 60_000;
/** How far back from the newest reading each look for a complete round reads; the last reads everything. */
const LOOKBACK_MS = [12 * HOUR_MS, 3 * 24 * HOUR_MS, 14 * 24 * HOUR_MS, Number.POSITIVE_INFINITY] as const;
const EARLIEST_MS = -8.64e15;

export function news2SummaryOf(
  observations: ObservationQueries,
  patientId: string,
  latestVitals: readonly LatestObservation[] = observations.latestOfCategory(patientId, 'vital-signs'),
): News2Summary | null {
  return news2Summary(latestNews2Of(observations, patientId, latestVitals));
}

function latestNews2Of(
  observations: ObservationQueries,
  patientId: string,
  latestVitals: readonly LatestObservation[],
): LatestNews2 | null {
  const fromLatest = latestNews2(latestVitals);
  // Only the newest round can be complete among the latest per code; when it is, it decides.
  if (fromLatest === null || fromLatest.complete !== null) return fromLatest;
  const newestMs = Date.parse(fromLatest.newerIncomplete?.at ?? '');
  let found: LatestNews2 | null = fromLatest;
  for (const lookback of LOOKBACK_MS) {
    const fromMs = Number.isFinite(lookback) ? newestMs - lookback : EARLIEST_MS;
    const readings: VitalObservationReading[] = NEWS2_CODES.flatMap((code) =>
      observations.trend(patientId, code, fromMs, newestMs).map((point) => ({ code, ...point })),
    );
    found = latestNews2(readings) ?? found;
    if (found?.complete !== null) return found;
  }
  return found;
}
