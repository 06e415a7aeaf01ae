// The NEWS2 a list or banner shows for a patient (the census, the chart's summary): the latest
// complete round's score, its band and when it was measured, and beside it the newer round when
// that one is incomplete (its score a lower bound, with what it lacks). Without any complete round,
// the latest round alone (complete: false). The rule is latestNews2's (news2-rounds.ts); zod, for
// the contract.
import { z } from 'zod';
import { NEWS2_PARAMETERS } from './news2.js';
import type { LatestNews2, News2Round } from './news2-rounds.js';

const roundSummarySchema = z.object({
  total: z.number().int().nonnegative(),
  band: z.enum(['low', 'low-medium', 'medium', 'high']),
  complete: z.boolean(),
  /** Parameters not measured in the round (none when complete). */
  missing: z.array(z.enum(NEWS2_PARAMETERS)),
  /** When the round was measured (ISO). */
  at: z.string(),
});

export const news2SummarySchema = roundSummarySchema.extend({
  /** A round measured after the one above and incomplete (only beside a complete one), or null. */
  newerIncomplete: roundSummarySchema.nullable(),
});
export type News2Summary = z.infer<typeof news2SummarySchema>;
export type News2RoundSummary = z.infer<typeof roundSummarySchema>;

const roundSummary = (round: News2Round): News2RoundSummary => ({
  total: round.score.total,
  band: round.score.band,
  complete: round.score.complete,
  missing: [...round.score.missing],
  at: round.at,
});

export function news2Summary(latest: LatestNews2 | null): News2Summary | null {
  if (latest === null) return null;
  if (latest.complete === null)
    return latest.newerIncomplete === null ? null : { ...roundSummary(latest.newerIncomplete), newerIncomplete: null };
  return {
    ...roundSummary(latest.complete),
    newerIncomplete: latest.newerIncomplete === null ? null : roundSummary(latest.newerIncomplete),
  };
}
