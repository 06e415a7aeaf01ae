// A group of feed messages (an ADT sender's pipelined window) written as ONE durable transaction
// (group commit), each message still all-or-nothing on its own. A message runs in memory over what
// the store holds plus what the group's earlier messages wrote: its reads are answered from that
// overlay (each resource and identifier look-up asks the database once per group), its new versions
// are queued in the group's one VersionBatch, and a message that throws drops the versions it queued
// and nothing else. The group's versions are written together (a few multi-row statements) just
// before the commit, so the commit's stamp, sequence numbers and content are exactly what writing
// each message at once would have stored. A message that must read whole compartments (a merge) runs
// isolated: the group's queue is written first, then the message in a savepoint of its own.
import type { Resource } from '../../shared/fhir/index.js';
import { patientIdOf, validateResource } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { batchedFeedWriter, parsed, type FeedResource, type FeedWriter } from './feed-writes.js';
import {
  beginWrite,
  currentByIdentifiers,
  currentByToken,
  currentOfPatient,
  endWrite,
  tokensOf,
  readCurrent,
  readCurrentMany,
  VersionBatch,
  type StoredResource,
  type WriteSession,
} from './store/index.js';

/** What one group of feed messages may do (see feedGroupTransaction). */
export interface FeedGroup {
  /**
   * The group's transaction, for the feed's own tables. A write made here directly is NOT undone
   * when a message of `run` throws: a feed keeps its own per-message changes in memory and writes
   * them at the group's end (or runs the message with `runIsolated`).
   */
  readonly tx: SqlDatabase;
  /**
   * Runs one message's `work` over the group's overlay; what it writes is kept only if it resolves.
   * Its writer's `compartment` is not available (use runIsolated). Resources it returns are shared
   * with the group: read them, never change them in place (build the new version as a new object).
   */
  run<T>(work: (writer: FeedWriter) => Promise<T>): Promise<T>;
  /** Writes what the group queued so far, then runs `work` in its own savepoint, writing at once. */
  runIsolated<T>(work: (writer: FeedWriter) => Promise<T>): Promise<T>;
  /**
   * Reads the identifier look-ups the group's messages are about to make, a few queries for all
   * (one per type and system), so their `findByIdentifier` asks the database nothing more.
   */
  prefetchIdentifiers(lookups: readonly IdentifierLookup[]): Promise<void>;
  /** Reads these resources the group's messages are about to read, one query per type. */
  prefetchResources(refs: readonly { readonly type: string; readonly id: string }[]): Promise<void>;
}

/** One identifier look-up: live resources of `type` carrying system|value. */
export interface IdentifierLookup {
  readonly type: string;
  readonly system: string;
  readonly value: string;
}

/** One resource as the group knows it: the database's current row, or a version queued in the group. */
interface Entry {
  readonly stored: StoredResource | null;
  /** The resource a message put (queued versions): its identifiers are read without parsing. */
  readonly source?: Resource;
  parsed?: FeedResource | null;
  /** Its index tokens, per search parameter (`param` → `system SEP value`), read once. */
  tokens?: Map<string, ReadonlySet<string>>;
}

const SEP = '\u0000';

function keyOf(type: string, id: string): string {
  return `${type}/${id}`;
}

function parsedOf<R extends Resource>(entry: Entry): FeedResource<R> | null {
  if (entry.parsed === undefined) entry.parsed = parsed(entry.stored);
  return entry.parsed as FeedResource<R> | null;
}

/** Whether the entry's resource carries the index token `param` system|value, as the store indexes it. */
function carries(entry: Entry, param: string, system: string, value: string): boolean {
  entry.tokens ??= new Map();
  let tokens = entry.tokens.get(param);
  if (tokens === undefined) {
    const resource = entry.source ?? parsedOf(entry)?.resource ?? null;
    tokens = new Set((resource === null ? [] : tokensOf(resource, param)).map((token) => `${token.system}${SEP}${token.value}`));
    entry.tokens.set(param, tokens);
  }
  return tokens.has(`${system}${SEP}${value}`);
}

function tokenLookup(type: string, param: string, system: string, value: string): string {
  return `${type}${SEP}${param}${SEP}${system}${SEP}${value}`;
}

/** The group's overlay: the database rows it read, the versions its kept messages queued. */
class GroupOverlay {
  readonly batch: VersionBatch;
  /** Current rows as the database holds them (read once per group). */
  readonly stored = new Map<string, Entry>();
  /** The newest version each resource got from the group's kept messages (queued, not yet written). */
  readonly written = new Map<string, Entry>();
  /** Identifier (and other token) look-ups answered by the database (its live rows). */
  readonly byIdentifier = new Map<string, readonly StoredResource[]>();

  constructor(
    readonly tx: SqlDatabase,
    session: WriteSession,
  ) {
    this.batch = new VersionBatch(session);
  }

  /** Writes the queued versions; the database then holds everything the overlay knew. */
  async write(): Promise<void> {
    await this.batch.flush(this.tx);
    this.stored.clear();
    this.written.clear();
    this.byIdentifier.clear();
  }

  async storedEntry(type: string, id: string): Promise<Entry> {
    const key = keyOf(type, id);
    let entry = this.stored.get(key);
    if (entry === undefined) {
      entry = { stored: await readCurrent(this.tx, type, id) };
      this.stored.set(key, entry);
    }
    return entry;
  }

  async storedByToken(type: string, param: string, system: string, value: string): Promise<readonly StoredResource[]> {
    const lookup = tokenLookup(type, param, system, value);
    let rows = this.byIdentifier.get(lookup);
    if (rows === undefined) {
      rows = await currentByToken(this.tx, type, param, system, value, Number.MAX_SAFE_INTEGER);
      this.remember(lookup, rows);
    }
    return rows;
  }

  /** A patient's live resources of `type` in these statuses, as the database holds them (not kept: rarely asked twice). */
  async storedOfPatient(type: string, patientId: string, statuses: readonly string[]): Promise<readonly StoredResource[]> {
    const rows = await currentOfPatient(this.tx, type, patientId, statuses);
    for (const row of rows) {
      const key = keyOf(row.type, row.id);
      if (!this.stored.has(key)) this.stored.set(key, { stored: row });
    }
    return rows;
  }

  /** Answers these look-ups now, grouped by type and system (those answered before are skipped). */
  async prefetchIdentifiers(lookups: readonly IdentifierLookup[]): Promise<void> {
    const bySystem = new Map<string, { type: string; system: string; values: Set<string> }>();
    for (const { type, system, value } of lookups) {
      if (this.byIdentifier.has(tokenLookup(type, 'identifier', system, value))) continue;
      const group = `${type}${SEP}${system}`;
      let entry = bySystem.get(group);
      if (entry === undefined) bySystem.set(group, (entry = { type, system, values: new Set() }));
      entry.values.add(value);
    }
    for (const { type, system, values } of bySystem.values()) {
      const found = await currentByIdentifiers(this.tx, type, system, [...values]);
      for (const [value, rows] of found) this.remember(tokenLookup(type, 'identifier', system, value), rows);
    }
  }

  /** Reads these resources now, one query per type (those read before are skipped). */
  async prefetchResources(refs: readonly { readonly type: string; readonly id: string }[]): Promise<void> {
    const byType = new Map<string, Set<string>>();
    for (const { type, id } of refs) {
      if (this.stored.has(keyOf(type, id))) continue;
      let ids = byType.get(type);
      if (ids === undefined) byType.set(type, (ids = new Set()));
      ids.add(id);
    }
    for (const [type, ids] of byType) {
      const found = await readCurrentMany(this.tx, type, [...ids]);
      for (const id of ids) this.stored.set(keyOf(type, id), { stored: found.get(id) ?? null });
    }
  }

  private remember(lookup: string, rows: readonly StoredResource[]): void {
    this.byIdentifier.set(lookup, rows);
    for (const row of rows) {
      const key = keyOf(row.type, row.id);
      if (!this.stored.has(key)) this.stored.set(key, { stored: row });
    }
  }
}

/** A writer for one message over the overlay; `written` holds what it queued (kept on success). */
function messageWriter(overlay: GroupOverlay): { writer: FeedWriter; written: Map<string, Entry> } {
  const written = new Map<string, Entry>();
  const entryOf = async (type: string, id: string): Promise<Entry> => {
    const key = keyOf(type, id);
    return written.get(key) ?? overlay.written.get(key) ?? overlay.storedEntry(type, id);
  };
  /**
   * The live resources a database look-up found (`rows`) or the group and this message wrote, each
   * in its newest version (this message's, else the group's, else the database's); a version
   * written in the group must still match (`matches`), a database row matched by its query.
   */
  const newest = <R extends Resource>(
    rows: readonly StoredResource[],
    type: string,
    matches: (entry: Entry) => boolean,
  ): FeedResource<R>[] => {
    const candidates = new Map<string, Entry>();
    for (const row of rows) {
      const key = keyOf(row.type, row.id);
      candidates.set(key, overlay.stored.get(key) ?? { stored: row });
    }
    for (const layer of [overlay.written, written]) {
      for (const [key, entry] of layer) if (entry.stored?.type === type) candidates.set(key, entry);
    }
    const live: Entry[] = [];
    for (const [key, candidate] of candidates) {
      const entry = written.get(key) ?? overlay.written.get(key) ?? candidate;
      if (entry.stored === null || entry.stored.deleted) continue;
      if (entry.source !== undefined && !matches(entry)) continue;
      live.push(entry);
    }
    // Id order, as the store answers (FHIR ids are ASCII: code-unit order is the database's).
    live.sort((a, b) => (a.stored!.id < b.stored!.id ? -1 : a.stored!.id > b.stored!.id ? 1 : 0));
    return live.map((entry) => parsedOf<R>(entry)!);
  };
  const writer: FeedWriter = {
    tx: overlay.tx,
    read: async (type, id) => parsedOf(await entryOf(type, id)),
    async findByIdentifier<R extends Resource>(type: R['resourceType'], system: string, value: string, limit = 2) {
      const rows = await overlay.storedByToken(type, 'identifier', system, value);
      return newest<R>(rows, type, (entry) => carries(entry, 'identifier', system, value)).slice(0, limit);
    },
    async findByToken<R extends Resource>(type: R['resourceType'], param: string, system: string, value: string) {
      const rows = await overlay.storedByToken(type, param, system, value);
      return newest<R>(rows, type, (entry) => carries(entry, param, system, value));
    },
    async findOfPatient<R extends Resource>(type: R['resourceType'], patientId: string, statuses: readonly string[]) {
      const rows = await overlay.storedOfPatient(type, patientId, statuses);
      return newest<R>(rows, type, (entry) => {
        const resource = entry.source ?? parsedOf(entry)?.resource;
        const status = (resource as { status?: unknown } | undefined)?.status;
        return resource !== undefined && patientIdOf(resource) === patientId && typeof status === 'string' && statuses.includes(status);
      });
    },
    compartment: () => Promise.reject(new Error('A feed message read a whole compartment outside an isolated run; this is a hub defect.')),
    async put(resource) {
      validateResource(resource);
      if (!resource.id) throw new Error('A feed write reached the store without an id; this is a hub defect.');
      const entry = await entryOf(resource.resourceType, resource.id);
      const previous = entry.stored;
      const version = overlay.batch.addVersion({
        resource,
        previous,
        ...(entry.parsed !== undefined ? { previousResource: entry.parsed?.resource ?? null } : {}),
      });
      // Read back as stored (meta included) without parsing its JSON again.
      const parsedVersion: FeedResource = { resource: version.resource, version: version.stored.version };
      written.set(keyOf(resource.resourceType, resource.id), { stored: version.stored, source: resource, parsed: parsedVersion });
    },
    async remove(type, id) {
      const existing = (await entryOf(type, id)).stored;
      if (existing === null || existing.deleted) return false;
      written.set(keyOf(type, id), { stored: overlay.batch.addDeletion(existing) });
      return true;
    },
  };
  return { writer, written };
}

/**
 * Runs `work` in one durable write transaction shared by a group of feed messages (group commit):
 * one hub-clock stamp for the group (its versions all carry it, as a FHIR transaction's do), each
 * message run through `group.run` (in memory, kept only if it resolves) or `group.runIsolated`.
 * The group's versions are written when `work` resolves, then it commits durably (it survives a
 * power loss). On PostgreSQL `work` may run again (serialization).
 */
export async function feedGroupTransaction<T>(db: SqlDatabase, now: Date, work: (group: FeedGroup) => Promise<T>): Promise<T> {
  return db.transaction(
    async (tx) => {
      const session = await beginWrite(tx, now);
      const overlay = new GroupOverlay(tx, session);
      const group: FeedGroup = {
        tx,
        prefetchIdentifiers: (lookups) => overlay.prefetchIdentifiers(lookups),
        prefetchResources: (refs) => overlay.prefetchResources(refs),
        async run(messageWork) {
          const mark = overlay.batch.size;
          const { writer, written } = messageWriter(overlay);
          try {
            const result = await messageWork(writer);
            for (const [key, entry] of written) overlay.written.set(key, entry);
            return result;
          } catch (error) {
            overlay.batch.truncate(mark);
            throw error;
          }
        },
        async runIsolated(messageWork) {
          await overlay.write();
          return tx.transaction(async (savepoint) => {
            const { writer, flush } = batchedFeedWriter(savepoint, session);
            const result = await messageWork(writer);
            await flush();
            return result;
          });
        },
      };
      const result = await work(group);
      await overlay.write();
      await endWrite(tx, session);
      return result;
    },
    { durable: true },
  );
}
