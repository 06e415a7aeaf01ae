// NEWS2 round by round over a window: the trend points of the scored vitals, as readings for the
// shared rounds (shared/vital-signs news2Rounds: each round scored from the set around it). Newest first.
import type { TrendPointData } from '../../../../shared/contract/index.js';
import {
  news2Rounds as roundsOf,
  NEWS2_CODES,
  type News2Round,
  type VitalObservationReading,
} from '../../../../shared/vital-signs/index.js';

/** The codes whose trends feed the score; consciousness is the ACVPU observation (its coded level as words), never the GCS. */
export const NEWS2_TREND_CODES: readonly string[] = NEWS2_CODES;

export type { News2Round };

export function news2Rounds(trends: ReadonlyArray<{ code: string; points: readonly TrendPointData[] }>): News2Round[] {
  const readings: VitalObservationReading[] = trends.flatMap(({ code, points }) =>
    points.map((point) => ({ code, time: point.time, value: point.value, valueText: point.valueText, components: point.components })),
  );
  return roundsOf(readings);
}
