// Versions decided outside the hub's API (the upstream mirror): one transaction reads each incoming
// resource's current version, lets the caller decide what to store (the resource as it should be
// stored, or null to leave it), writes those versions with the store's own write path, and runs the
// caller's bookkeeping (a cursor, a ledger) in the same transaction, so both commit or neither does.
import type { Resource } from '../../shared/fhir/index.js';
import { validateResource } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { beginWrite, contentText, endWrite, readCurrent, writeVersions } from './store/index.js';

/** What the caller sees of the current version: its content (null when absent or deleted). */
export type ExternalDecision = (incoming: Resource, current: Resource | null) => Resource | null;

export interface ExternalWriteResult {
  readonly written: number;
  readonly unchanged: number;
}

/**
 * Writes, in one transaction, the versions `decide` asks for (each validated first: an invalid one
 * throws and nothing is written), then `bookkeeping(tx)`. No access checks: for the hub's own feeds.
 */
export async function writeExternalVersions(
  db: SqlDatabase,
  incoming: readonly Resource[],
  now: Date,
  decide: ExternalDecision,
  bookkeeping?: (tx: SqlDatabase) => Promise<void>,
): Promise<ExternalWriteResult> {
  return db.transaction(async (tx) => {
    const session = await beginWrite(tx, now);
    let written = 0;
    const seen = new Set<string>();
    for (const resource of incoming) {
      if (!resource.id) continue;
      const key = `${resource.resourceType}/${resource.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const previous = await readCurrent(tx, resource.resourceType, resource.id);
      const text = previous ? contentText(previous) : null;
      const decided = decide(resource, text ? (JSON.parse(text) as Resource) : null);
      if (decided === null) continue;
      validateResource(decided);
      await writeVersions(tx, session, [{ resource: decided, previous }]);
      written++;
    }
    await endWrite(tx, session);
    if (bookkeeping) await bookkeeping(tx);
    return { written, unchanged: incoming.length - written };
  });
}
