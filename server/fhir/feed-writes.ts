// Writes of the hospital's feeds (the HL7 v2 ADT listener in server/integration): the same versioned
// store, hub clock and validation the FHIR API writes through, in one database transaction per
// message, without a workstation's access checks (the feed is its own principal, checked by its room).
import type { Resource } from '../../shared/fhir/index.js';
import { validateResource } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import {
  beginWrite,
  contentText,
  currentByToken,
  currentOfPatient,
  endWrite,
  patientCompartment,
  readCurrent,
  writeDeletion,
  writeVersions,
  VersionBatch,
  type StoredResource,
  type WriteSession,
} from './store/index.js';

/** A resource as the store holds it now, parsed, with its version. */
export interface FeedResource<R extends Resource = Resource> {
  readonly resource: R;
  readonly version: number;
}

/** What a feed may do inside its transaction. */
export interface FeedWriter {
  /** The database transaction (for the feed's own tables, committed with the resources). */
  readonly tx: SqlDatabase;
  /** The live resource, or null (never written, or deleted). */
  read<R extends Resource>(type: R['resourceType'], id: string): Promise<FeedResource<R> | null>;
  /** Live resources of `type` carrying the identifier system|value (at most `limit`). */
  findByIdentifier<R extends Resource>(type: R['resourceType'], system: string, value: string, limit?: number): Promise<FeedResource<R>[]>;
  /**
   * Live resources of `type` carrying the index token `param` `system|value` as the store indexes
   * it (store/index-terms.ts; e.g. `location`, '', `Location/x`: the Encounters at Location x now).
   */
  findByToken<R extends Resource>(type: R['resourceType'], param: string, system: string, value: string): Promise<FeedResource<R>[]>;
  /** Live resources of `type` whose patient is `patientId` and whose status is one of `statuses`. */
  findOfPatient<R extends Resource>(type: R['resourceType'], patientId: string, statuses: readonly string[]): Promise<FeedResource<R>[]>;
  /** Every live resource of a patient's compartment (the Patient itself included). */
  compartment(patientId: string): Promise<FeedResource[]>;
  /** Validates and writes a new version (create or update); the store sets meta. */
  put(resource: Resource): Promise<void>;
  /** Writes a deletion (a tombstone version) of a live resource; false when there was none. */
  remove(type: string, id: string): Promise<boolean>;
}

/** The stored version parsed (null: none, or a deletion). */
export function parsed<R extends Resource>(stored: StoredResource | null): FeedResource<R> | null {
  const text = stored === null || stored.deleted ? null : contentText(stored);
  return text === null ? null : { resource: JSON.parse(text) as R, version: stored!.version };
}

/** The store's current version of `type/id` as `tx` sees it, remembered per writer. */
type CurrentReader = (type: string, id: string) => Promise<StoredResource | null>;

function tokenFinder(tx: SqlDatabase, before: () => Promise<void>, known: Map<string, StoredResource | null> | null) {
  return async (type: string, param: string, system: string, value: string, limit: number) => {
    await before();
    return parsedRows(await currentByToken(tx, type, param, system, value, limit), known);
  };
}

function patientFinder(tx: SqlDatabase, before: () => Promise<void>, known: Map<string, StoredResource | null> | null) {
  return async (type: string, patientId: string, statuses: readonly string[]) => {
    await before();
    return parsedRows(await currentOfPatient(tx, type, patientId, statuses), known);
  };
}

function parsedRows(rows: readonly StoredResource[], known: Map<string, StoredResource | null> | null): FeedResource[] {
  for (const row of rows) known?.set(`${row.type}/${row.id}`, row);
  return rows.map((row) => parsed(row)).filter((row): row is NonNullable<typeof row> => row !== null);
}

function compartmentReader(tx: SqlDatabase, before: () => Promise<void>) {
  return async (patientId: string): Promise<FeedResource[]> => {
    await before();
    const found: FeedResource[] = [];
    let after: { type: string; id: string } | undefined;
    for (;;) {
      const page = await patientCompartment(tx, patientId, 500, after);
      for (const row of page.rows) {
        const item = parsed(row);
        if (item) found.push(item);
      }
      const last = page.rows[page.rows.length - 1];
      if (!page.more || !last) return found;
      after = { type: last.type, id: last.id };
    }
  };
}

/**
 * A FeedWriter on an open write transaction, writing each change at once. The write session (the
 * hub clock's stamp) is taken on the first write, through `session`.
 */
export function feedWriterOn(tx: SqlDatabase, session: () => Promise<WriteSession>): FeedWriter {
  const current: CurrentReader = (type, id) => readCurrent(tx, type, id);
  const nothing = (): Promise<void> => Promise.resolve();
  const find = tokenFinder(tx, nothing, null);
  const ofPatient = patientFinder(tx, nothing, null);
  return {
    tx,
    read: async (type, id) => parsed(await current(type, id)),
    findByIdentifier: (type, system, value, limit = 2) => find(type, 'identifier', system, value, limit) as never,
    findByToken: (type, param, system, value) => find(type, param, system, value, Number.MAX_SAFE_INTEGER) as never,
    findOfPatient: (type, patientId, statuses) => ofPatient(type, patientId, statuses) as never,
    compartment: compartmentReader(tx, nothing),
    async put(resource) {
      validateResource(resource);
      if (!resource.id) throw new Error('A feed write reached the store without an id; this is a hub defect.');
      const previous = await current(resource.resourceType, resource.id);
      await writeVersions(tx, await session(), [{ resource, previous }]);
    },
    async remove(type, id) {
      const existing = await current(type, id);
      if (existing === null || existing.deleted) return false;
      await writeDeletion(tx, await session(), existing);
      return true;
    },
  };
}

/**
 * A FeedWriter for one feed message, all of whose writes go through it: it remembers each current
 * version it read or wrote (a later read of the same resource asks the store nothing), and collects
 * its new versions in memory, written together (a few multi-row statements) by `flush`, before any
 * query that must see them (an identifier or compartment look-up) and at the end of the message.
 */
export function batchedFeedWriter(tx: SqlDatabase, session: WriteSession): { writer: FeedWriter; flush(): Promise<void> } {
  const known = new Map<string, StoredResource | null>();
  const batch = new VersionBatch(session);
  const flush = (): Promise<void> => batch.flush(tx);
  const current: CurrentReader = async (type, id) => {
    const key = `${type}/${id}`;
    const remembered = known.get(key);
    if (remembered !== undefined) return remembered;
    const stored = await readCurrent(tx, type, id);
    known.set(key, stored);
    return stored;
  };
  const find = tokenFinder(tx, flush, known);
  const ofPatient = patientFinder(tx, flush, known);
  const writer: FeedWriter = {
    tx,
    read: async (type, id) => parsed(await current(type, id)),
    findByIdentifier: (type, system, value, limit = 2) => find(type, 'identifier', system, value, limit) as never,
    findByToken: (type, param, system, value) => find(type, param, system, value, Number.MAX_SAFE_INTEGER) as never,
    findOfPatient: (type, patientId, statuses) => ofPatient(type, patientId, statuses) as never,
    compartment: compartmentReader(tx, flush),
    async put(resource) {
      validateResource(resource);
      if (!resource.id) throw new Error('A feed write reached the store without an id; this is a hub defect.');
      const previous = await current(resource.resourceType, resource.id);
      known.set(`${resource.resourceType}/${resource.id}`, batch.add({ resource, previous }));
    },
    async remove(type, id) {
      const existing = await current(type, id);
      if (existing === null || existing.deleted) return false;
      known.set(`${type}/${id}`, batch.addDeletion(existing));
      return true;
    },
  };
  return { writer, flush };
}

/**
 * Runs `work` in one write transaction (hub clock taken first, as every FHIR write does); committed
 * durably (it survives a power loss) when it resolves, nothing kept when it throws. On PostgreSQL
 * `work` may run again (serialization).
 */
/**
 * Runs `work` with a FeedWriter on a transaction already open for other work (the upstream
 * outbox's feeder), writing each change at once; the write session (the hub clock) is begun only at
 * the first write and ended after `work`, so a run that writes nothing leaves the clock as it was.
 */
export async function writesInTransaction<T>(tx: SqlDatabase, now: Date, work: (writer: FeedWriter) => Promise<T>): Promise<T> {
  let session: WriteSession | undefined;
  const result = await work(feedWriterOn(tx, async () => (session ??= await beginWrite(tx, now))));
  if (session) await endWrite(tx, session);
  return result;
}

export async function feedTransaction<T>(db: SqlDatabase, now: Date, work: (writer: FeedWriter) => Promise<T>): Promise<T> {
  return db.transaction(
    async (tx) => {
      const session = await beginWrite(tx, now);
      const { writer, flush } = batchedFeedWriter(tx, session);
      const result = await work(writer);
      await flush();
      await endWrite(tx, session);
      return result;
    },
    { durable: true },
  );
}
