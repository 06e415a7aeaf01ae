// Writes of the hospital's feeds (the HL7 v2 ADT listener in server/integration): the same versioned
// store, hub clock and validation the FHIR API writes through, in one database transaction per
// message, without a workstation's access checks (the feed is its own principal, checked by its room).
import type { Resource } from '../../shared/fhir/index.js';
import { validateResource } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import {
  beginWrite,
  contentText,
  endWrite,
  patientCompartment,
  readCurrent,
  searchResources,
  writeDeletion,
  writeVersions,
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
  /** Every live resource of a patient's compartment (the Patient itself included). */
  compartment(patientId: string): Promise<FeedResource[]>;
  /** Validates and writes a new version (create or update); the store sets meta. */
  put(resource: Resource): Promise<void>;
  /** Writes a deletion (a tombstone version) of a live resource; false when there was none. */
  remove(type: string, id: string): Promise<boolean>;
}

function parsed<R extends Resource>(stored: StoredResource | null): FeedResource<R> | null {
  const text = stored === null || stored.deleted ? null : contentText(stored);
  return text === null ? null : { resource: JSON.parse(text) as R, version: stored!.version };
}

/**
 * A FeedWriter on an open write transaction. The write session (the hub clock's stamp) is taken on
 * the first write, through `session`.
 */
export function feedWriterOn(tx: SqlDatabase, session: () => Promise<WriteSession>): FeedWriter {
  return {
    tx,
    read: async (type, id) => parsed(await readCurrent(tx, type, id)),
    async findByIdentifier(type, system, value, limit = 2) {
      const page = await searchResources(tx, {
        type,
        filters: [{ kind: 'token', param: 'identifier', alternatives: [{ system, value }] }],
        order: 'id',
        count: limit,
        scope: { kind: 'all' },
      });
      return page.rows.map((row) => parsed(row)).filter((row): row is NonNullable<typeof row> => row !== null) as never;
    },
    async compartment(patientId) {
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
    },
    async put(resource) {
      validateResource(resource);
      if (!resource.id) throw new Error('A feed write reached the store without an id; this is a hub defect.');
      const previous = await readCurrent(tx, resource.resourceType, resource.id);
      await writeVersions(tx, await session(), [{ resource, previous }]);
    },
    async remove(type, id) {
      const current = await readCurrent(tx, type, id);
      if (current === null || current.deleted) return false;
      await writeDeletion(tx, await session(), current);
      return true;
    },
  };
}

/**
 * Runs `work` in one write transaction (hub clock taken first, as every FHIR write does); committed
 * durably (it survives a power loss) when it resolves, nothing kept when it throws. On PostgreSQL
 * `work` may run again (serialization).
 */
export async function feedTransaction<T>(db: SqlDatabase, now: Date, work: (writer: FeedWriter) => Promise<T>): Promise<T> {
  return db.transaction(
    async (tx) => {
      const session = await beginWrite(tx, now);
      const result = await work(feedWriterOn(tx, () => Promise.resolve(session)));
      await endWrite(tx, session);
      return result;
    },
    { durable: true },
  );
}
