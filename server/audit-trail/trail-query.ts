// The hub's trail as one list, newest first: the audit events workstations uploaded (indexed from
// their hashed entries), the reads the hub served beyond a caller's scope (hub_access_log: under
// break-the-glass, and a record the ward a patient left may still change), the
// sign-ins at the hub (identity_sign_ins, with the username tried), the privacy officer's own
// searches and exports of the trail (audit_trail_views), and what IT did from the hub's command line
// (audit_hub_actions: documentation retried or closed, a ward set up or renamed, tokens, accounts, workstations, feeds and keys). Filtered by period, users, patients, actions
// and workstation, and paged by a cursor on (time, source, id): each source is read newest first by
// its (time, id) index, at most a page of it, so a search with no period reads about a page per
// source, never the whole trail. Census reads are de-duplicated in the view: within one session of
// one workstation, the same query showing the same patient again is one row (the first, with how
// many times it was recorded), so background refreshes do not bury what matters. Ids only: names
// and MRNs are resolved by the caller when the page is shown.
import type { SqlDatabase } from '../storage/index.js';
import { hubActionTypeCodeSql } from './hub-actions.js';

export type TrailSource = 'workstation' | 'hub-access' | 'hub-sign-in' | 'hub-trail-view' | 'hub-action';

export interface TrailFilter {
  /** Inclusive, ms. */
  readonly from?: number;
  /** Exclusive, ms. */
  readonly to?: number;
  /** Rows by any of these accounts (or, for failed sign-ins, tried under one of `usernames`, lower case). */
  readonly userIds?: readonly string[];
  readonly usernames?: readonly string[];
  readonly patientIds?: readonly string[];
  /** Wardline actions (`chart-read`, `query`, `sign-in-failed`, `btg-access`, `trail-search`, …). */
  readonly actions?: readonly string[];
  /** AuditEvent.type codes (DCM 110114, audit-event-type rest, …) and subtype codes (110122, read, …). */
  readonly types?: readonly string[];
  readonly subtypes?: readonly string[];
  /** The hub's client id of one workstation. */
  readonly deviceId?: string;
  /** Collapse repeated census reads (default true). */
  readonly dedup?: boolean;
}

export interface TrailRow {
  readonly source: TrailSource;
  readonly id: string;
  readonly at: number | null;
  /** The workstation's client id; null for an export from the hub's command line. */
  readonly deviceId: string | null;
  readonly userId: string | null;
  readonly patientId: string | null;
  readonly action: string | null;
  readonly sessionId: string | null;
  /** A census or search query; for the officer's own searches and exports, the filters (JSON, ids only). */
  readonly query: string | null;
  readonly outcome: string | null;
  readonly usernameTried: string | null;
  /** hub-access: the interaction served; hub-sign-in: the refusal code; hub-trail-view and hub-action: the OS account. */
  readonly detail: string | null;
  /** How many times this row was recorded (more than 1 only for a de-duplicated census read). */
  readonly repeats: number;
}

/** Where a page ends: the last row's place in the trail's order. */
export interface TrailCursor {
  readonly at: number;
  readonly source: TrailSource;
  readonly id: string;
}

const COLUMNS =
  'source, id, at, device_id, user_id, patient_id, action, session_id, query_text, outcome, username_tried, detail, type_code, subtype_code';

/** Each source as the trail's columns; `at` and `id` are its paging index. */
const SOURCES: Readonly<Record<TrailSource, string>> = {
  workstation: `SELECT 'workstation' AS source, event_id AS id, COALESCE(recorded_ms, 0) AS at, device_id, user_id, patient_id,
         action, session_id, query_text, outcome, username_tried, NULL AS detail, type_code, subtype_code
    FROM audit_events`,
  'hub-access': `SELECT 'hub-access' AS source, id, at, device_id, user_id, patient_id,
         CASE basis WHEN 'late-documentation' THEN 'late-documentation-read' ELSE 'btg-access' END AS action, NULL AS session_id,
         NULL AS query_text, 'success' AS outcome, NULL AS username_tried, interaction AS detail, 'rest' AS type_code,
         CASE interaction WHEN 'search' THEN 'search-type' WHEN 'history' THEN 'history-instance'
                          WHEN 'everything' THEN 'operation' ELSE interaction END AS subtype_code
    FROM hub_access_log`,
  'hub-sign-in': `SELECT 'hub-sign-in' AS source, id, at, device_id, user_id, NULL AS patient_id,
         CASE WHEN succeeded = 1 THEN 'sign-in' ELSE 'sign-in-failed' END AS action, NULL AS session_id, NULL AS query_text,
         CASE WHEN succeeded = 1 THEN 'success' ELSE 'minor-failure' END AS outcome, username_tried, code AS detail,
         '110114' AS type_code, '110122' AS subtype_code
    FROM identity_sign_ins`,
  'hub-trail-view': `SELECT 'hub-trail-view' AS source, id, at, device_id, user_id, NULL AS patient_id,
         CASE kind WHEN 'export' THEN 'trail-export' ELSE 'trail-search' END AS action, NULL AS session_id, filter AS query_text,
         'success' AS outcome, NULL AS username_tried, os_user AS detail,
         CASE kind WHEN 'export' THEN '110106' ELSE '110112' END AS type_code, NULL AS subtype_code
    FROM audit_trail_views`,
  'hub-action': `SELECT 'hub-action' AS source, id, at, NULL AS device_id, NULL AS user_id, patient_id, action, NULL AS session_id,
         detail AS query_text, 'success' AS outcome, NULL AS username_tried, os_user AS detail, ${hubActionTypeCodeSql('action')} AS type_code,
         NULL AS subtype_code
    FROM audit_hub_actions`,
};
const SOURCE_NAMES = Object.keys(SOURCES) as TrailSource[];

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  list(values: readonly unknown[]): string {
    return values.map((value) => this.add(value)).join(', ');
  }
}

function conditions(filter: TrailFilter, params: Params): string[] {
  const where: string[] = [];
  if (filter.from !== undefined) where.push(`t.at >= ${params.add(filter.from)}`);
  if (filter.to !== undefined) where.push(`t.at < ${params.add(filter.to)}`);
  if (filter.userIds !== undefined || filter.usernames !== undefined) {
    const either: string[] = [];
    if (filter.userIds?.length) either.push(`t.user_id IN (${params.list(filter.userIds)})`);
    if (filter.usernames?.length) either.push(`LOWER(t.username_tried) IN (${params.list(filter.usernames)})`);
    where.push(either.length === 0 ? '1 = 0' : `(${either.join(' OR ')})`);
  }
  if (filter.patientIds !== undefined)
    where.push(filter.patientIds.length === 0 ? '1 = 0' : `t.patient_id IN (${params.list(filter.patientIds)})`);
  if (filter.actions !== undefined) where.push(filter.actions.length === 0 ? '1 = 0' : `t.action IN (${params.list(filter.actions)})`);
  if (filter.types !== undefined) where.push(filter.types.length === 0 ? '1 = 0' : `t.type_code IN (${params.list(filter.types)})`);
  if (filter.subtypes !== undefined)
    where.push(filter.subtypes.length === 0 ? '1 = 0' : `t.subtype_code IN (${params.list(filter.subtypes)})`);
  if (filter.deviceId !== undefined) where.push(`t.device_id = ${params.add(filter.deviceId)}`);
  return where;
}

/** Rows of `source` after the cursor in the trail's order (newest first, or oldest first). */
function afterCursor(source: TrailSource, cursor: TrailCursor, newest: boolean, params: Params): string {
  const at = params.add(cursor.at);
  const before = newest ? '<' : '>';
  // Within one time, sources are ordered by name and ids within a source.
  // (The bound on t.at alone comes first so that the index can start there.)
  if (source === cursor.source) return `t.at ${before}= ${at} AND (t.at ${before} ${at} OR t.id ${before} ${params.add(cursor.id)})`;
  const sourceFirst = newest ? source < cursor.source : source > cursor.source;
  return sourceFirst ? `t.at ${before}= ${at}` : `t.at ${before} ${at}`;
}

/** The same census read (action, workstation, session, user, patient, query) as `of`'s, in the period. */
function sameCensusRead(filter: TrailFilter, params: Params, of: (column: string) => string): string {
  const period = [
    ...(filter.from === undefined ? [] : [` AND COALESCE(p.recorded_ms, 0) >= ${params.add(filter.from)}`]),
    ...(filter.to === undefined ? [] : [` AND COALESCE(p.recorded_ms, 0) < ${params.add(filter.to)}`]),
  ].join('');
  // patient_id by equality, so that the patient's index finds the earlier reads (a census read
  // always names its patient; one that does not is never collapsed).
  return `p.action = 'query' AND p.device_id = ${of('device_id')} AND p.patient_id = ${of('patient_id')}
      AND p.session_id IS NOT DISTINCT FROM ${of('session_id')} AND p.user_id IS NOT DISTINCT FROM ${of('user_id')}
      AND p.query_text IS NOT DISTINCT FROM ${of('query_text')}${period}`;
}

function toRow(row: Record<string, unknown>): TrailRow {
  const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
  return {
    source: String(row.source) as TrailSource,
    id: String(row.id),
    at: row.at === null || row.at === undefined ? null : Number(row.at),
    deviceId: text(row.device_id),
    userId: text(row.user_id),
    patientId: text(row.patient_id),
    action: text(row.action),
    sessionId: text(row.session_id),
    query: text(row.query_text),
    outcome: text(row.outcome),
    usernameTried: text(row.username_tried),
    detail: text(row.detail),
    repeats: 1,
  };
}

/** How many times a census read shown once in the view was recorded (in the period). */
async function repeatsOf(db: SqlDatabase, row: TrailRow, filter: TrailFilter): Promise<number> {
  const params = new Params();
  const values: Readonly<Record<string, string | null>> = {
    device_id: row.deviceId,
    patient_id: row.patientId,
    session_id: row.sessionId,
    user_id: row.userId,
    query_text: row.query,
  };
  const same = sameCensusRead(filter, params, (column) => params.add(values[column] ?? null));
  const [count] = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM audit_events p WHERE ${same}`, params.values);
  return Math.max(1, Number(count?.n ?? 1));
}

/**
 * One page of the trail, newest first (`oldest` for an export): `count` rows after `after` (the
 * previous page's last row). Each source is read through its (time, id) index, at most `count` rows.
 */
export async function searchTrail(
  db: SqlDatabase,
  filter: TrailFilter,
  page: { readonly count: number; readonly after?: TrailCursor; readonly order?: 'newest' | 'oldest' },
): Promise<TrailRow[]> {
  const newest = page.order !== 'oldest';
  const direction = newest ? 'DESC' : 'ASC';
  const dedup = filter.dedup !== false;
  const params = new Params();
  const limit = params.add(page.count);
  const branches = SOURCE_NAMES.map((source, i) => {
    const where = conditions(filter, params);
    if (page.after !== undefined) where.push(afterCursor(source, page.after, newest, params));
    // A census read is shown at its first recording (in the period); later ones only add to its count.
    if (source === 'workstation' && dedup) {
      where.push(`(t.action IS NULL OR t.action <> 'query' OR NOT EXISTS (
         SELECT 1 FROM audit_events p WHERE ${sameCensusRead(filter, params, (column) => `t.${column}`)}
           AND (COALESCE(p.recorded_ms, 0) < t.at OR (COALESCE(p.recorded_ms, 0) = t.at AND p.event_id < t.id))))`);
    }
    return `SELECT ${COLUMNS} FROM (
        SELECT t.* FROM (${SOURCES[source]}) t${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
        ORDER BY t.at ${direction}, t.id ${direction} LIMIT ${limit}
      ) s${i}`;
  });
  const sql = `${branches.join('\nUNION ALL\n')}\nORDER BY at ${direction}, source ${direction}, id ${direction} LIMIT ${limit}`;
  const rows = (await db.query<Record<string, unknown>>(sql, params.values)).map(toRow);
  if (!dedup) return rows;
  return Promise.all(
    rows.map(async (row) =>
      row.source === 'workstation' && row.action === 'query' ? { ...row, repeats: await repeatsOf(db, row, filter) } : row,
    ),
  );
}

/** Which of these uploaded events the chain check flagged, and how. */
export async function flagsOf(db: SqlDatabase, eventIds: readonly string[]): Promise<Map<string, string[]>> {
  const flags = new Map<string, string[]>();
  if (eventIds.length === 0) return flags;
  const params = new Params();
  const rows = await db.query<{ event_id: string; kind: string }>(
    `SELECT DISTINCT event_id, kind FROM audit_chain_flags WHERE event_id IN (${params.list(eventIds)}) ORDER BY kind`,
    params.values,
  );
  for (const row of rows) flags.set(row.event_id, [...(flags.get(row.event_id) ?? []), row.kind]);
  return flags;
}

/** The stored AuditEvents of these uploaded rows, by id. */
export async function uploadedEvents(db: SqlDatabase, eventIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  const events = new Map<string, Record<string, unknown>>();
  if (eventIds.length === 0) return events;
  const params = new Params();
  const rows = await db.query<{ event_id: string; resource: string }>(
    `SELECT event_id, resource FROM audit_events WHERE event_id IN (${params.list(eventIds)})`,
    params.values,
  );
  for (const row of rows) events.set(row.event_id, JSON.parse(row.resource) as Record<string, unknown>);
  return events;
}

/** The break-the-glass reasons of these access-log rows, by id (shown to the privacy officer only). */
export async function accessReasons(
  db: SqlDatabase,
  ids: readonly string[],
): Promise<Map<string, { reason: string; type: string | null; resId: string | null }>> {
  const reasons = new Map<string, { reason: string; type: string | null; resId: string | null }>();
  if (ids.length === 0) return reasons;
  const params = new Params();
  const rows = await db.query<{ id: string; reason: string; res_type: string | null; res_id: string | null }>(
    `SELECT id, reason, res_type, res_id FROM hub_access_log WHERE id IN (${params.list(ids)})`,
    params.values,
  );
  for (const row of rows) reasons.set(row.id, { reason: row.reason, type: row.res_type, resId: row.res_id });
  return reasons;
}
