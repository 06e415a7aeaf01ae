// Records merged into others, followed to the one that stands for them now. A Patient merged away
// (an A40 at the ADT feed, the upstream mirror matching the feed's patient with the EHR's) keeps a
// `replaced-by` link to the record it was merged into, which may itself have been merged since
// (A→B→C…); an Encounter the mirror merged into the EHR's stay is followed the same way. One rule
// for every such chain, used by the ADT feed (which patient an MRN stands for now) and by the hub's
// write path (documentation naming a merged-away record): a chain is followed to its end however
// many links it has, and a chain that comes back to a record it passed has no end: no record in a
// cycle stands for the others, and each caller refuses or leaves the reference as written.
import type { Patient } from '@medplum/fhirtypes';
import { ID_PATTERN } from './primitives.js';

const PATIENT_REFERENCE = /^Patient\/(.+)$/;

/** The id of the Patient a merged-away record was merged into (its `replaced-by` link), or null. */
export function replacedBy(patient: Patient): string | null {
  const link = patient.link?.find((entry) => entry.type === 'replaced-by');
  const id = PATIENT_REFERENCE.exec(link?.other?.reference ?? '')?.[1];
  return id !== undefined && ID_PATTERN.test(id) ? id : null;
}

/**
 * The end of the chain `nextOf` leads along from `start`: `start` itself when it has no next, else
 * the first record with none. Null when the chain comes back to a record it passed (a cycle).
 */
export async function endOfChain<T>(start: T, idOf: (item: T) => string, nextOf: (item: T) => Promise<T | null>): Promise<T | null> {
  const passed = new Set<string>([idOf(start)]);
  let current = start;
  for (;;) {
    const next = await nextOf(current);
    if (next === null) return current;
    const id = idOf(next);
    if (passed.has(id)) return null;
    passed.add(id);
    current = next;
  }
}
