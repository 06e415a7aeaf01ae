// NEWS2 round by round, and the score a list or banner leads with. Each round is scored from the
// set around it (news2OfObservations: the readings within an hour of the round's newest); readings
// of one round a few minutes apart count once, at the round's latest time. The score shown for a
// patient is the latest COMPLETE round's, with the newer incomplete round beside it when one
// exists: one more pulse charted after a round is a lower bound, and must never hide the round's
// score (a "10 High" must not become "≥ 3 incomplete"). The census, the chart's summary and its
// NEWS2 by round table all read these rules.
import type { News2Score } from './news2.js';
import { news2OfObservations, type VitalObservationReading } from './news2-observations.js';

/** Readings this close to a later round's count with it, unless they close a complete set it lacks. */
const ROUND_GAP_MS = 15 * 60_000;

export interface News2Round {
  /** When the round's newest reading was measured (ISO). */
  readonly at: string;
  readonly score: News2Score;
}

/** The rounds among `readings`, newest first, lazily (a caller may stop at the first it needs). */
function* roundsNewestFirst(readings: readonly VitalObservationReading[]): Generator<News2Round> {
  const timed = readings
    .map((reading) => ({ reading, ms: reading.time === null ? Number.NaN : Date.parse(reading.time) }))
    .filter((r) => !Number.isNaN(r.ms));
  const times = [...new Set(timed.map((r) => r.ms))].sort((a, b) => b - a);
  let taken: News2Round | null = null;
  let takenMs = Number.POSITIVE_INFINITY;
  for (const ms of times) {
    const result = news2OfObservations(timed.filter((r) => r.ms <= ms).map((r) => r.reading));
    if (result === null || Date.parse(result.at) !== ms) continue;
    // A few minutes after a taken round: the same round, unless this one is complete and the
    // later one is not (a pulse charted just after a round does not hide the round).
    if (takenMs - ms < ROUND_GAP_MS && (taken?.score.complete === true || !result.score.complete)) continue;
    taken = { at: result.at, score: result.score };
    takenMs = ms;
    yield taken;
  }
}

/** Every round among `readings`, newest first. */
export function news2Rounds(readings: readonly VitalObservationReading[]): News2Round[] {
  return [...roundsNewestFirst(readings)];
}

export interface LatestNews2 {
  /** The latest complete round, or null when none among the readings is complete. */
  readonly complete: News2Round | null;
  /** The latest round when it is not complete (newer than `complete`), else null. */
  readonly newerIncomplete: News2Round | null;
}

/** The latest complete round and the newer incomplete one, or null without any scored reading. */
export function latestNews2(readings: readonly VitalObservationReading[]): LatestNews2 | null {
  let newest: News2Round | null = null;
  for (const round of roundsNewestFirst(readings)) {
    newest ??= round;
    if (round.score.complete) return { complete: round, newerIncomplete: newest === round ? null : newest };
  }
  return newest === null ? null : { complete: null, newerIncomplete: newest };
}
