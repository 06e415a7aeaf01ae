// The NEWS2 a list or banner shows for a patient: the score of the latest set, its band, whether
// every parameter was measured, and when. The census carries it (zod, for the contract).
import { z } from 'zod';
import type { News2Score } from './news2.js';

export const news2SummarySchema = z.object({
  total: z.number().int().nonnegative(),
  band: z.enum(['low', 'low-medium', 'medium', 'high']),
  complete: z.boolean(),
  /** When the set was measured (ISO). */
  at: z.string(),
});
export type News2Summary = z.infer<typeof news2SummarySchema>;

export function news2Summary(result: { score: News2Score; at: string } | null): News2Summary | null {
  return result === null ? null : { total: result.score.total, band: result.score.band, complete: result.score.complete, at: result.at };
}
