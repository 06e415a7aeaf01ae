// A conflict's combination queued by a release before the note-author rule (shared/fhir
// documentation-performers.ts) carried the local version's notes in their authors' names: a
// colleague's correction note in the colleague's name, which the hub now refuses (422
// PERFORMER_NOT_RECORDER) from the user who combined. Such an entry is not left "rejected": its
// notes the hub's version lacks are carried in the combiner's name, quoting whose they were, as a
// combination made now is (shared/vital-signs withNotesInCombinersName), and it goes again.
import { CONFLICT_COMBINATION_POLICY_URI, type DocumentationRecorder, type Resource } from '../../shared/fhir/index.js';
import { withNotesInCombinersName } from '../../shared/vital-signs/index.js';
import type { OutboxEntry, OutboxItem } from '../vault/index.js';
import type { SyncError } from './sync-error.js';

/** Who combined: the first agent of the combination's Provenance naming a Practitioner (its author, as the hub reads it). */
function combinerOf(provenance: NonNullable<OutboxEntry['provenance']>): DocumentationRecorder | null {
  for (const agent of provenance.agent) {
    const { reference, display } = agent.who;
    if (reference?.startsWith('Practitioner/')) return display === undefined ? { reference } : { reference, display };
  }
  return null;
}

/**
 * The items of `entry`, a combination the hub refused as naming someone else in a note, with the
 * notes carried in the combiner's name; null when it is no such entry, when the hub's version (by
 * item, `hub`) is not the one it was combined on, or when nothing would change.
 */
export function combinationInCombinersName(
  entry: OutboxEntry,
  hub: ReadonlyMap<number, Resource | null | undefined>,
  refusal: SyncError,
): OutboxItem[] | null {
  const provenance = entry.provenance;
  if (refusal.status !== 422 || refusal.hubCode !== 'PERFORMER_NOT_RECORDER') return null;
  if (provenance === null || !(provenance.policy ?? []).includes(CONFLICT_COMBINATION_POLICY_URI) || provenance.recorded === undefined)
    return null;
  const author = combinerOf(provenance);
  if (author === null) return null;
  let changed = false;
  const items = entry.items.map((item, index) => {
    const before = hub.get(index);
    if (item.operation !== 'update' || before === null || before === undefined) return item;
    if (before.meta?.versionId !== item.baseVersion) return item;
    const resource = withNotesInCombinersName(before, item.resource, { author, at: provenance.recorded! });
    if (resource === item.resource || JSON.stringify(resource) === JSON.stringify(item.resource)) return item;
    changed = true;
    return { ...item, resource };
  });
  return changed ? items : null;
}
