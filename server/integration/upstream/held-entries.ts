// Waking documentation held for a patient or stay the EHR does not know yet (documentation-outbox.ts,
// state `held`): called in every transaction that merges a hub record into another, whoever merges
// (the mirror matching the ADT feed's patient or stay with the EHR's, an A40 merge from the ADT
// feed), so the held documentation is looked at again at the next forward, not after its backoff.
import type { SqlDatabase } from '../../storage/index.js';

/**
 * Makes every held entry due now, in the caller's transaction. (All held entries, not only those
 * naming the merged records: a merge is rare, and an entry may name a record through a merge the hub
 * made since.)
 */
export async function wakeHeldEntries(tx: SqlDatabase): Promise<void> {
  await tx.execute(`UPDATE upstream_outbox SET next_attempt_ms = 0 WHERE state = 'held' AND next_attempt_ms > 0`);
}
