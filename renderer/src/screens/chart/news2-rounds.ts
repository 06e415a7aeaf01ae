// NEWS2 round by round over a window: the trend points of the scored vitals, grouped by the time
// each set was measured, each scored from the set around it (shared/vital-signs). Newest first.
import type { TrendPointData } from '../../../../shared/contract/index.js';
import {
  news2OfObservations,
  VITAL_SIGN_CODES,
  type News2Score,
  type VitalObservationReading,
} from '../../../../shared/vital-signs/index.js';

/** The codes whose trends feed the score; consciousness is the ACVPU observation (its coded level as words), never the GCS. */
export const NEWS2_TREND_CODES: readonly string[] = [
  VITAL_SIGN_CODES.respiratoryRate,
  VITAL_SIGN_CODES.oxygenSaturation,
  VITAL_SIGN_CODES.oxygenFlow,
  VITAL_SIGN_CODES.bloodPressurePanel,
  VITAL_SIGN_CODES.heartRate,
  VITAL_SIGN_CODES.consciousness,
  VITAL_SIGN_CODES.temperature,
];

export interface News2Round {
  readonly at: string;
  readonly score: News2Score;
}

export function news2Rounds(trends: ReadonlyArray<{ code: string; points: readonly TrendPointData[] }>): News2Round[] {
  const readings: VitalObservationReading[] = trends.flatMap(({ code, points }) =>
    points.map((point) => ({ code, time: point.time, value: point.value, valueText: point.valueText, components: point.components })),
  );
  const times = [...new Set(readings.map((r) => r.time).filter((t): t is string => t !== null))].sort().reverse();
  const rounds: News2Round[] = [];
  let previousMs = Number.POSITIVE_INFINITY;
  for (const time of times) {
    const ms = Date.parse(time);
    // Readings of one round a few minutes apart count once, at the round's latest time.
    if (previousMs - ms < 15 * 60_000) continue;
    previousMs = ms;
    const result = news2OfObservations(readings.filter((r) => r.time !== null && Date.parse(r.time) <= ms));
    if (result !== null && result.at === time) rounds.push({ at: time, score: result.score });
  }
  return rounds;
}
