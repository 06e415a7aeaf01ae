// Conflicts: local documentation the hub did not take. A version conflict (the resource changed on
// the hub since it was read here) or a refusal; each record keeps the local entry whole and the hub's
// versions beside it, so neither is lost until a user decides. Also documentation the hub took but
// the hospital's EHR contradicts (an upstream conflict: the hub tagged its version, the sync found it),
// with the EHR's resource beside it.
import { isRestricted, type SecurityLabelled } from '../../shared/access/index.js';
import type { Resource } from '../../shared/fhir/index.js';
import type { NewOutboxEntry } from './outbox-store.js';
import type { Db } from './sqlcipher-connection.js';

export type ConflictReason = 'version-conflict' | 'rejected' | 'upstream-conflict';
const REASONS: readonly ConflictReason[] = ['version-conflict', 'rejected', 'upstream-conflict'];

export interface ConflictRecord {
  readonly conflictId: string;
  readonly entryId: string;
  readonly patientId: string;
  /**
   * 'version-conflict': the hub answered 412; 'rejected': the hub refused the entry for good;
   * 'upstream-conflict': the hub holds it, but the EHR contradicts it (docs/UPSTREAM.md).
   */
  readonly reason: ConflictReason;
  /** The hub's error code (e.g. VERSION_CONFLICT, OUT_OF_SCOPE; UPSTREAM_ORDER_CHANGED for an upstream conflict), or null. */
  readonly errorCode: string | null;
  /** The local entry as it was in the outbox. */
  readonly local: NewOutboxEntry;
  /** The hub's current versions of the resources the entry would have changed (for an upstream conflict: the EHR's resources). */
  readonly hub: readonly Resource[];
  /**
   * The versions the hub named in its 412 of resources it would not show this device all the same
   * (403; the patient left the ward, outbox-push.ts): a number, no content. What "keep my version" is sent on. Stored in
   * `hub_json` beside the resources, each marked VERSION_ONLY_MARK.
   */
  readonly hubVersionsOnly: readonly HubVersionOnly[];
  readonly detectedAt: string;
  /**
   * Whether the patient's chart was restricted when the conflict was stored (the restricted-chart
   * rule on the vault's Patient and on the conflict's own resources; true when the vault held no
   * Patient to judge by). What stands for the chart's label once the Patient resource is gone.
   */
  readonly chartRestricted: boolean;
}

export interface HubVersionOnly {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: string;
}

/** A conflict as it is stored: the store records whether the chart is restricted itself. */
export type NewConflict = Omit<ConflictRecord, 'chartRestricted' | 'hubVersionsOnly'> & {
  readonly hubVersionsOnly?: readonly HubVersionOnly[];
};

/** The key that marks, in `hub_json`, a version the hub named without showing it (no FHIR resource has it). */
const VERSION_ONLY_MARK = 'wardlineVersionOnly';

type StoredHub = Array<Resource | (HubVersionOnly & { [VERSION_ONLY_MARK]: true })>;

function isVersionOnly(entry: StoredHub[number]): entry is HubVersionOnly & { [VERSION_ONLY_MARK]: true } {
  return (entry as unknown as Record<string, unknown>)[VERSION_ONLY_MARK] === true;
}

export interface ConflictStore {
  add(record: NewConflict): void;
  /** Every unresolved conflict, oldest first: what the conflicts screen lists, one view each. */
  list(): ConflictRecord[];
  get(conflictId: string): ConflictRecord | null;
  remove(conflictId: string): boolean;
  /** Whether an unresolved conflict of this patient is kept (it may be opened by break-the-glass). */
  holdsPatient(patientId: string): boolean;
  /** How many rows list() returns (the banner's count): the same query, counted. */
  count(): number;
}

export const CONFLICT_METHODS = [
  'add',
  'list',
  'get',
  'remove',
  'holdsPatient',
  'count',
] as const satisfies readonly (keyof ConflictStore)[];

interface Row {
  conflict_id: string;
  entry_id: string;
  patient_id: string;
  reason: string;
  error_code: string | null;
  local_json: string;
  hub_json: string;
  detected_at: string;
  chart_restricted: number;
}

function recordOf(row: Row): ConflictRecord {
  return {
    conflictId: row.conflict_id,
    entryId: row.entry_id,
    patientId: row.patient_id,
    reason: REASONS.find((reason) => reason === row.reason) ?? 'version-conflict',
    errorCode: row.error_code,
    local: JSON.parse(row.local_json) as NewOutboxEntry,
    ...hubOf(JSON.parse(row.hub_json) as StoredHub),
    detectedAt: row.detected_at,
    chartRestricted: row.chart_restricted !== 0,
  };
}

function hubOf(stored: StoredHub): Pick<ConflictRecord, 'hub' | 'hubVersionsOnly'> {
  const hub: Resource[] = [];
  const hubVersionsOnly: HubVersionOnly[] = [];
  for (const entry of stored) {
    if (isVersionOnly(entry)) hubVersionsOnly.push({ resourceType: entry.resourceType, id: entry.id, versionId: entry.versionId });
    else hub.push(entry);
  }
  return { hub, hubVersionsOnly };
}

/** The restricted-chart rule on the patient's chart as the vault holds it now; no Patient to judge by counts as restricted. */
function chartRestrictedAt(patient: SecurityLabelled | null, record: NewConflict): boolean {
  if (patient === null) return true;
  const own = [...record.local.items.map((item) => item.resource), ...record.hub];
  return isRestricted(patient) || own.some((resource) => isRestricted(resource));
}

export function createConflictStore(db: Db): ConflictStore {
  const insert = db.prepare<[string, string, string, string, string | null, string, string, string, number]>(
    `INSERT INTO sync_conflicts (conflict_id, entry_id, patient_id, reason, error_code, local_json, hub_json, detected_at, chart_restricted)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const patientJson = db.prepare<[string], string>("SELECT json FROM resources WHERE type = 'Patient' AND id = ?").pluck();
  // One query for the list and the banner's count, so they can never differ.
  const unresolved = 'SELECT * FROM sync_conflicts ORDER BY detected_at, conflict_id';
  const selectAll = db.prepare<[], Row>(unresolved);
  const selectOne = db.prepare<[string], Row>('SELECT * FROM sync_conflicts WHERE conflict_id = ?');
  const deleteOne = db.prepare<[string]>('DELETE FROM sync_conflicts WHERE conflict_id = ?');
  const ofPatient = db.prepare<[string], number>('SELECT 1 FROM sync_conflicts WHERE patient_id = ? LIMIT 1').pluck();
  const countAll = db.prepare<[], number>(`SELECT count(*) FROM (${unresolved})`).pluck();
  return {
    add(record) {
      const { entryId, patientId, items, provenance, createdAt } = record.local;
      const patient = patientJson.get(record.patientId);
      const restricted = chartRestrictedAt(patient === undefined ? null : (JSON.parse(patient) as SecurityLabelled), record);
      insert.run(
        record.conflictId,
        record.entryId,
        record.patientId,
        record.reason,
        record.errorCode,
        JSON.stringify({ entryId, patientId, items, provenance, createdAt }),
        JSON.stringify([...record.hub, ...(record.hubVersionsOnly ?? []).map((version) => ({ ...version, [VERSION_ONLY_MARK]: true }))]),
        record.detectedAt,
        restricted ? 1 : 0,
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
    holdsPatient(patientId) {
      return ofPatient.get(patientId) !== undefined;
    },
    count() {
      return countAll.get() ?? 0;
    },
  };
}
