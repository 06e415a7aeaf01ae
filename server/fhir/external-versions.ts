// Versions decided outside the hub's API (the upstream mirror): one transaction reads the current
// version of each incoming resource (a query per type and 500 ids), lets the caller decide what to
// store (the resource as it should be stored, or null to leave it), validates it, writes those
// versions with the store's own write path (multi-row statements), and runs the caller's
// bookkeeping (a cursor, a ledger) in the same transaction, so both commit or neither does. An
// incoming resource may come prepared (PreparedResource: validated, its text and index terms made
// beforehand, on another thread): when the decision keeps it as it is, only the version, the
// instant and the SQL are left for the transaction.
import type { Resource } from '../../shared/fhir/index.js';
import { FhirValidationError, validateResource } from '../../shared/fhir/index.js';
import { SqlParams, chunked, type SqlDatabase } from '../storage/index.js';
import { feedWriterOn, type FeedWriter } from './feed-writes.js';
import {
  beginWrite,
  contentText,
  endWrite,
  writeVersions,
  type NewVersion,
  type PreparedContent,
  type PreparedNewVersion,
  type StoredResource,
  type WriteSession,
} from './store/index.js';
import { fromRow, RESOURCE_COLUMNS, type ResourceRow } from './store/stored-resource.js';

/**
 * An incoming resource prepared beforehand: validated, and when valid its content and index terms
 * made (prepareContent). `resource()` gives the resource itself, for a decision that needs it.
 */
export class PreparedResource {
  constructor(
    readonly resourceType: string,
    readonly id: string,
    /** Null when the hub's validation refused the resource (`invalidPath` says where). */
    readonly content: PreparedContent | null,
    readonly invalidPath: string | null,
    readonly resource: () => Resource,
  ) {}
}

type Incoming = Resource | PreparedResource;

/**
 * What to store of `incoming`, seeing the current version's content (null when absent or deleted):
 * `incoming` itself, another resource (validated and prepared here), or null to leave it.
 */
export type ExternalDecision<T extends Incoming = Resource> = (incoming: T, current: Resource | null) => T | Resource | null;

export interface ExternalWriteResult {
  readonly written: number;
  /** Decided versions the hub's validation refused (left out; the rest is written). */
  readonly invalid: readonly { readonly type: string; readonly path: string }[];
}

async function readCurrents(tx: SqlDatabase, incoming: readonly Incoming[]): Promise<Map<string, StoredResource>> {
  const current = new Map<string, StoredResource>();
  const byType = new Map<string, Set<string>>();
  for (const resource of incoming) {
    if (!resource.id) continue;
    const ids = byType.get(resource.resourceType);
    if (ids) ids.add(resource.id);
    else byType.set(resource.resourceType, new Set([resource.id]));
  }
  for (const [type, ids] of byType) {
    for (const chunk of chunked([...ids], 500)) {
      const params = new SqlParams();
      const rows = await tx.query<ResourceRow>(
        `SELECT ${RESOURCE_COLUMNS} FROM fhir_resources WHERE res_type = ${params.add(type)} AND res_id IN (${params.list(chunk)})`,
        params.values,
      );
      for (const row of rows) current.set(`${type}/${row.res_id}`, fromRow(row));
    }
  }
  return current;
}

/**
 * Writes, in one transaction, the valid versions `decide` asks for, then `bookkeeping(tx, feed)`
 * (which may write more resources through `feed`, in the same write session). No access checks: for
 * the hub's own feeds. With `pause`, the versions are written in smaller steps with `pause()` awaited
 * between them (a bulk writer lets its event loop read what arrives meanwhile).
 */
export async function writeExternalVersions<T extends Incoming = Resource>(
  db: SqlDatabase,
  incoming: readonly T[],
  now: Date,
  decide: ExternalDecision<T>,
  bookkeeping?: (tx: SqlDatabase, feed: FeedWriter) => Promise<void>,
  pause?: () => Promise<void>,
): Promise<ExternalWriteResult> {
  return db.transaction(async (tx) => {
    let session: WriteSession | undefined;
    const sessionOf = async (): Promise<WriteSession> => (session ??= await beginWrite(tx, now));
    const currents = await readCurrents(tx, incoming);
    const items: (NewVersion | PreparedNewVersion)[] = [];
    const invalid: { type: string; path: string }[] = [];
    const seen = new Set<string>();
    for (const resource of incoming) {
      const key = `${resource.resourceType}/${resource.id ?? ''}`;
      if (!resource.id || seen.has(key)) continue;
      seen.add(key);
      const previous = currents.get(key) ?? null;
      const text = previous ? contentText(previous) : null;
      const decided = decide(resource, text ? (JSON.parse(text) as Resource) : null);
      if (decided === null) continue;
      if (decided instanceof PreparedResource) {
        if (decided.content === null) invalid.push({ type: resource.resourceType, path: decided.invalidPath ?? '' });
        else items.push({ content: decided.content, previous });
        continue;
      }
      try {
        validateResource(decided);
      } catch (error) {
        if (!(error instanceof FhirValidationError)) throw error;
        invalid.push({ type: resource.resourceType, path: error.path });
        continue;
      }
      items.push({ resource: decided, previous });
    }
    if (items.length > 0) {
      const writing = await sessionOf();
      for (const chunk of chunked(items, pause ? 500 : 2000)) {
        await writeVersions(tx, writing, chunk);
        if (pause) await pause();
      }
    }
    if (bookkeeping) await bookkeeping(tx, feedWriterOn(tx, sessionOf));
    if (session) await endWrite(tx, session);
    return { written: items.length, invalid };
  });
}
