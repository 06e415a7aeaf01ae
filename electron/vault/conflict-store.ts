// Conflicts: local documentation the hub did not take. A version conflict (the resource changed on
// the hub since it was read here) or a refusal; each record keeps the local entry whole and the hub's
// versions beside it, so neither is lost until a user decides.
import type { Resource } from '../../shared/fhir/index.js';
import type { NewOutboxEntry } from './outbox-store.js';
import type { Db } from './sqlcipher-connection.js';

export interface ConflictRecord {
  readonly conflictId: string;
  readonly entryId: string;
  readonly patientId: string;
  /** 'version-conflict': the hub answered 412; 'rejected': the hub refused the entry for good. */
  readonly reason: 'version-conflict' | 'rejected';
  /** The hub's error code (e.g. VERSION_CONFLICT, OUT_OF_SCOPE), or null. */
  readonly errorCode: string | null;
  /** The local entry as it was in the outbox. */
  readonly local: NewOutboxEntry;
  /** The hub's current versions of the resources the entry would have changed. */
  readonly hub: readonly Resource[];
  readonly detectedAt: string;
}

export interface ConflictStore {
  add(record: ConflictRecord): void;
  /** Every unresolved conflict, oldest first: what the conflicts screen lists, one view each. */
  list(): ConflictRecord[];
  get(conflictId: string): ConflictRecord | null;
  remove(conflictId: string): boolean;
  /** How many rows list() returns (the banner's count): the same query, counted. */
  count(): number;
}

export const CONFLICT_METHODS = ['add', 'list', 'get', 'remove', 'count'] as const satisfies readonly (keyof ConflictStore)[];

interface Row {
  conflict_id: string;
  entry_id: string;
  patient_id: string;
  reason: string;
  error_code: string | null;
  local_json: string;
  hub_json: string;
  detected_at: string;
}

function recordOf(row: Row): ConflictRecord {
  return {
    conflictId: row.conflict_id,
    entryId: row.entry_id,
    patientId: row.patient_id,
    reason: row.reason === 'rejected' ? 'rejected' : 'version-conflict',
    errorCode: row.error_code,
    local: JSON.parse(row.local_json) as NewOutboxEntry,
    hub: JSON.parse(row.hub_json) as Resource[],
    detectedAt: row.detected_at,
  };
}

export function createConflictStore(db: Db): ConflictStore {
  const insert = db.prepare<[string, string, string, string, string | null, string, string, string]>(
    `INSERT INTO sync_conflicts (conflict_id, entry_id, patient_id, reason, error_code, local_json, hub_json, detected_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // One query for the list and the banner's count, so they can never differ.
  const unresolved = 'SELECT * FROM sync_conflicts ORDER BY detected_at, conflict_id';
  const selectAll = db.prepare<[], Row>(unresolved);
  const selectOne = db.prepare<[string], Row>('SELECT * FROM sync_conflicts WHERE conflict_id = ?');
  const deleteOne = db.prepare<[string]>('DELETE FROM sync_conflicts WHERE conflict_id = ?');
  const countAll = db.prepare<[], number>(`SELECT count(*) FROM (${unresolved})`).pluck();
  return {
    add(record) {
      const { entryId, patientId, items, provenance, createdAt } = record.local;
      insert.run(
        record.conflictId,
        record.entryId,
        record.patientId,
        record.reason,
        record.errorCode,
        JSON.stringify({ entryId, patientId, items, provenance, createdAt }),
        JSON.stringify(record.hub),
        record.detectedAt,
      );
    },
    list() {
      return selectAll.all().map(recordOf);
    },
    get(conflictId) {
      const row = selectOne.get(conflictId);
      return row === undefined ? null : recordOf(row);
    },
    remove(conflictId) {
      return deleteOne.run(conflictId).changes > 0;
    },
    count() {
      return countAll.get() ?? 0;
    },
  };
}
