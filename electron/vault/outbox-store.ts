// The outbox: local documentation waiting for the hub. One entry per act of documentation (e.g. a
// round of vital signs), holding the resources to create or update and, when it was made during
// downtime, its Provenance. An entry leaves only when the sync engine removes it after the hub's
// 2xx (or moves it to the conflicts). Written in the same transaction as the local copies. A
// colleague's change of a record whose change by another user still waits is an entry of its own,
// chained after that one (OutboxItem.follows / next), so each change goes in its recorder's name.
import type { Provenance, Resource } from '../../shared/fhir/index.js';
import type { Db } from './sqlcipher-connection.js';

export interface OutboxItem {
  readonly operation: 'create' | 'update';
  /** create: the new resource under its client-assigned id; update: the changed resource. */
  readonly resource: Resource & { id: string };
  /** update: the hub's versionId the change was made on (sent as If-Match); null for a create. */
  readonly baseVersion: string | null;
  /**
   * Fingerprints (contentFingerprint) of what this item said before later local edits were folded
   * into it, oldest first. A hub that holds one of them took an earlier attempt whose answer was
   * lost: the sync then sends the latest on top of it instead of calling it a conflict.
   */
  readonly earlier?: readonly string[];
  /**
   * update: the entry (an earlier one, another user's change of the same record) whose delivery gives
   * this change its base: it waits for that entry, then takes the version the hub gave it (and the
   * hub's id of a record that entry created) as its If-Match. Never sent while set.
   */
  readonly follows?: string;
  /** The entry that follows this item's change (its `follows` names this entry), if any. */
  readonly next?: string;
}

export interface NewOutboxEntry {
  readonly entryId: string;
  readonly patientId: string;
  readonly items: readonly OutboxItem[];
  readonly provenance: (Provenance & { id: string }) | null;
  readonly createdAt: string;
}

export interface OutboxEntry extends NewOutboxEntry {
  /** Order of writing: entries are delivered oldest first. */
  readonly seq: number;
  readonly attempts: number;
  /** The code of the last failed delivery, or null. */
  readonly lastError: string | null;
}

export interface OutboxStore {
  add(entry: NewOutboxEntry): number;
  /** Entries in the order they were written; at most `limit`. */
  pending(limit?: number): OutboxEntry[];
  get(entryId: string): OutboxEntry | null;
  /** Replaces an entry's items (a later local edit of a resource not yet delivered). */
  replaceItems(entryId: string, items: readonly OutboxItem[]): void;
  /**
   * What is left of an entry once the hub is found to hold an earlier attempt of it: `items` go
   * again (on the hub's versions) with `provenance` (a new one: the hub holds the first).
   */
  rebase(entryId: string, items: readonly OutboxItem[], provenance: (Provenance & { id: string }) | null): void;
  remove(entryId: string): boolean;
  recordFailure(entryId: string, errorCode: string): void;
  count(): number;
  /** Patients with at least one entry waiting. */
  patientsWithPending(): Set<string>;
  /** "Type/id" of every resource an entry waiting would create or update. */
  pendingResourceKeys(): Set<string>;
}

export const OUTBOX_METHODS = [
  'add',
  'pending',
  'get',
  'replaceItems',
  'rebase',
  'remove',
  'recordFailure',
  'count',
  'patientsWithPending',
  'pendingResourceKeys',
] as const satisfies readonly (keyof OutboxStore)[];

interface Row {
  seq: number;
  entry_id: string;
  patient_id: string;
  items_json: string;
  provenance_json: string | null;
  created_at: string;
  attempts: number;
  last_error: string | null;
}

function entryOf(row: Row): OutboxEntry {
  return {
    seq: row.seq,
    entryId: row.entry_id,
    patientId: row.patient_id,
    items: JSON.parse(row.items_json) as OutboxItem[],
    provenance: row.provenance_json === null ? null : (JSON.parse(row.provenance_json) as Provenance & { id: string }),
    createdAt: row.created_at,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

export function createOutboxStore(db: Db): OutboxStore {
  const insert = db.prepare<[string, string, string, string | null, string]>(
    'INSERT INTO sync_outbox (entry_id, patient_id, items_json, provenance_json, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const selectPending = db.prepare<[number], Row>('SELECT * FROM sync_outbox ORDER BY seq LIMIT ?');
  const selectOne = db.prepare<[string], Row>('SELECT * FROM sync_outbox WHERE entry_id = ?');
  const updateItems = db.prepare<[string, string]>('UPDATE sync_outbox SET items_json = ? WHERE entry_id = ?');
  const rebaseItems = db.prepare<[string, string | null, string]>(
    'UPDATE sync_outbox SET items_json = ?, provenance_json = ? WHERE entry_id = ?',
  );
  const deleteOne = db.prepare<[string]>('DELETE FROM sync_outbox WHERE entry_id = ?');
  const failure = db.prepare<[string, string]>('UPDATE sync_outbox SET attempts = attempts + 1, last_error = ? WHERE entry_id = ?');
  const countAll = db.prepare<[], number>('SELECT count(*) FROM sync_outbox').pluck();
  const patients = db.prepare<[], string>('SELECT DISTINCT patient_id FROM sync_outbox').pluck();
  const allItems = db.prepare<[], string>('SELECT items_json FROM sync_outbox').pluck();
  return {
    add(entry) {
      const result = insert.run(
        entry.entryId,
        entry.patientId,
        JSON.stringify(entry.items),
        entry.provenance === null ? null : JSON.stringify(entry.provenance),
        entry.createdAt,
      );
      return Number(result.lastInsertRowid);
    },
    pending(limit = 1_000_000) {
      return selectPending.all(limit).map(entryOf);
    },
    get(entryId) {
      const row = selectOne.get(entryId);
      return row === undefined ? null : entryOf(row);
    },
    replaceItems(entryId, items) {
      updateItems.run(JSON.stringify(items), entryId);
    },
    rebase(entryId, items, provenance) {
      rebaseItems.run(JSON.stringify(items), provenance === null ? null : JSON.stringify(provenance), entryId);
    },
    remove(entryId) {
      return deleteOne.run(entryId).changes > 0;
    },
    recordFailure(entryId, errorCode) {
      failure.run(errorCode, entryId);
    },
    count() {
      return countAll.get() ?? 0;
    },
    patientsWithPending() {
      return new Set(patients.all());
    },
    pendingResourceKeys() {
      const keys = new Set<string>();
      for (const json of allItems.all()) {
        for (const item of JSON.parse(json) as OutboxItem[]) keys.add(`${item.resource.resourceType}/${item.resource.id}`);
      }
      return keys;
    },
  };
}
