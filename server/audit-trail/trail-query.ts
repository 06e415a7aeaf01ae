// The hub's trail as one list, newest first: the audit events workstations uploaded (indexed from
// their hashed entries), the reads the hub served under break-the-glass (hub_access_log), and the
// sign-ins at the hub (identity_sign_ins, with the username tried). Filtered by period, users,
// patients, actions and workstation. Census reads are de-duplicated in the view: within one session
// of one workstation, the same query showing the same patient again is one row (with how many times
// it was recorded), so background refreshes do not bury what matters. Ids only: names and MRNs are
// resolved by the caller when the page is shown.
import type { SqlDatabase } from '../storage/index.js';

export type TrailSource = 'workstation' | 'hub-access' | 'hub-sign-in';

export interface TrailFilter {
  /** Inclusive, ms. */
  readonly from?: number;
  /** Exclusive, ms. */
  readonly to?: number;
  /** Rows by any of these accounts (or, for failed sign-ins, tried under one of `usernames`, lower case). */
  readonly userIds?: readonly string[];
  readonly usernames?: readonly string[];
  readonly patientIds?: readonly string[];
  /** Wardline actions (`chart-read`, `query`, `sign-in-failed`, `btg-access`, …). */
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
  readonly deviceId: string;
  readonly userId: string | null;
  readonly patientId: string | null;
  readonly action: string | null;
  readonly sessionId: string | null;
  readonly query: string | null;
  readonly outcome: string | null;
  readonly usernameTried: string | null;
  /** hub-access: the interaction served; hub-sign-in: the refusal code. */
  readonly detail: string | null;
  /** How many times this row was recorded (more than 1 only for a de-duplicated census read). */
  readonly repeats: number;
}

const TRAIL = `
  SELECT 'workstation' AS source, event_id AS id, recorded_ms AS at, device_id, user_id, patient_id, action, session_id,
         query_text, outcome, username_tried, NULL AS detail, type_code, subtype_code
    FROM audit_events
  UNION ALL
  SELECT 'hub-access', id, at, device_id, user_id, patient_id, 'btg-access', NULL, NULL, 'success', NULL, interaction,
         'rest', CASE interaction WHEN 'search' THEN 'search-type' WHEN 'history' THEN 'history-instance'
                                  WHEN 'everything' THEN 'operation' ELSE interaction END
    FROM hub_access_log
  UNION ALL
  SELECT 'hub-sign-in', id, at, device_id, user_id, NULL, CASE WHEN succeeded = 1 THEN 'sign-in' ELSE 'sign-in-failed' END, NULL, NULL,
         CASE WHEN succeeded = 1 THEN 'success' ELSE 'minor-failure' END, username_tried, code, '110114', '110122'
    FROM identity_sign_ins`;

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

function toRow(row: Record<string, unknown>): TrailRow {
  const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
  return {
    source: String(row.source) as TrailSource,
    id: String(row.id),
    at: row.at === null || row.at === undefined ? null : Number(row.at),
    deviceId: String(row.device_id),
    userId: text(row.user_id),
    patientId: text(row.patient_id),
    action: text(row.action),
    sessionId: text(row.session_id),
    query: text(row.query_text),
    outcome: text(row.outcome),
    usernameTried: text(row.username_tried),
    detail: text(row.detail),
    repeats: row.repeats === null || row.repeats === undefined ? 1 : Number(row.repeats),
  };
}

/** One page of the trail, newest first (`oldest` for an export), `count` rows from `offset`. */
export async function searchTrail(
  db: SqlDatabase,
  filter: TrailFilter,
  page: { readonly count: number; readonly offset: number; readonly order?: 'newest' | 'oldest' },
): Promise<TrailRow[]> {
  const params = new Params();
  const where = conditions(filter, params);
  const filtered = `SELECT t.* FROM (${TRAIL}) t${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const direction = page.order === 'oldest' ? 'ASC' : 'DESC';
  const order = `ORDER BY COALESCE(at, 0) ${direction}, source ${direction}, id ${direction}`;
  const limit = `LIMIT ${params.add(page.count)} OFFSET ${params.add(page.offset)}`;
  const sql =
    filter.dedup === false
      ? `SELECT f.*, 1 AS repeats FROM (${filtered}) f ${order} ${limit}`
      : `SELECT d.* FROM (
           SELECT f.*,
                  ROW_NUMBER() OVER (PARTITION BY f.action, f.device_id, f.session_id, f.user_id, f.patient_id, f.query_text
                                     ORDER BY COALESCE(f.at, 0), f.id) AS first_seen,
                  COUNT(*) OVER (PARTITION BY f.action, f.device_id, f.session_id, f.user_id, f.patient_id, f.query_text) AS repeats
             FROM (${filtered}) f
         ) d
         WHERE d.action IS NULL OR d.action <> 'query' OR d.first_seen = 1 ${order} ${limit}`;
  const rows = await db.query<Record<string, unknown>>(sql, params.values);
  return rows.map((row) => (filter.dedup === false || row.action === 'query' ? toRow(row) : { ...toRow(row), repeats: 1 }));
}

/** The distinct patient ids the trail mentions (for a name search, matched against current names). */
export async function patientIdsInTrail(db: SqlDatabase): Promise<string[]> {
  const rows = await db.query<{ patient_id: string }>(
    `SELECT DISTINCT patient_id FROM (
       SELECT patient_id FROM audit_events WHERE patient_id IS NOT NULL
       UNION SELECT patient_id FROM hub_access_log WHERE patient_id IS NOT NULL
     ) p`,
  );
  return rows.map((row) => row.patient_id);
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
