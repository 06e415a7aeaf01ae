// One page of a patient's compartment as Bundle entry JSON (Patient/$everything). The stored JSON
// is spliced into each entry as text, never parsed. On SQLite the database itself assembles the
// page: one aggregate returns the entries joined by commas as one blob (one value instead of a
// thousand rows of eight columns), its size and the key of its last entry. Which resource types
// the caller may read is decided once per query (`types`); a caller whose role reads only some
// resources of a type gives `mayRead` instead, and the rows are then judged one by one.
import { SqlParams, type SqlDatabase } from '../../storage/index.js';
import { fromRow, bulkContentColumn, type ResourceRow, type StoredResource } from './stored-resource.js';

/**
 * An entry's JSON around a resource: `${head}${type}/${id}${beforeResource}${resource}${tail}`.
 * Types and ids need no JSON escaping: the store holds only FHIR ids ([A-Za-z0-9-.]) and type names.
 */
export interface EntryFrame {
  readonly head: string;
  readonly beforeResource: string;
  readonly tail: string;
}

export interface CompartmentPageQuery {
  readonly patientId: string;
  /** At most this many entries. */
  readonly count: number;
  /** The last entry of the previous page. */
  readonly after?: { readonly type: string; readonly id: string };
  /** Only what matters whatever its date, and care that reaches this instant (ms). */
  readonly careFromMs?: number;
  /** Only resources of these types; null: every type. */
  readonly types: readonly string[] | null;
  /** Judges each row (a role that reads only some resources of a type); rows it refuses are left out. */
  readonly mayRead?: (row: StoredResource) => boolean;
  readonly frame: EntryFrame;
}

export interface CompartmentPage {
  /** The entries, joined by commas; null when there is none. */
  readonly entries: string | Buffer | null;
  /** The last row read (the paging position), null when none was. */
  readonly last: { readonly type: string; readonly id: string } | null;
  /** Whether rows follow `last`. */
  readonly more: boolean;
}

function compartmentWhere(params: SqlParams, query: CompartmentPageQuery): string {
  const where = [`r.patient_id = ${params.add(query.patientId)}`, 'r.deleted = 0'];
  if (query.types !== null) where.push(query.types.length ? `r.res_type IN (${params.list(query.types)})` : '1 = 0');
  if (query.careFromMs !== undefined) where.push(`(r.care_end_ms IS NULL OR r.care_end_ms >= ${params.add(query.careFromMs)})`);
  if (query.after) {
    const t = params.add(query.after.type);
    where.push(`(r.res_type > ${t} OR (r.res_type = ${t} AND r.res_id > ${params.add(query.after.id)}))`);
  }
  return where.join(' AND ');
}

/**
 * SQLite: the page in one aggregate over the keyset-ordered rows (at most `count`). The last entry's
 * key comes with max() of "type id": SQLite takes the bare columns from the row holding the single
 * max() (documented behaviour), and that key orders as (type, id) does, since a space sorts before
 * every character of a type or an id. A full page then asks whether any row follows it (one index
 * step and one row). No window function: it would copy every entry into a temporary table first.
 */
async function assembledBySqlite(db: SqlDatabase, query: CompartmentPageQuery): Promise<CompartmentPage> {
  const params = new SqlParams();
  const { head, beforeResource, tail } = query.frame;
  const entry = `${params.add(head)} || r.res_type || '/' || r.res_id || ${params.add(beforeResource)} || r.content || ${params.add(tail)}`;
  const where = compartmentWhere(params, query);
  const rows = await db.query<{ rows: number; entries: Buffer | null; res_type: string | null; res_id: string | null }>(
    `SELECT count(*) AS rows, CAST(string_agg(entry, ',') AS BLOB) AS entries, max(res_type || ' ' || res_id) AS last_key, res_type, res_id
     FROM (SELECT r.res_type, r.res_id, ${entry} AS entry
       FROM fhir_resources r WHERE ${where} ORDER BY r.res_type, r.res_id LIMIT ${params.add(query.count)})`,
    params.values,
  );
  const row = rows[0];
  if (!row || Number(row.rows) === 0 || row.res_type === null || row.res_id === null) return { entries: null, last: null, more: false };
  const last = { type: row.res_type, id: row.res_id };
  return { entries: row.entries, last, more: Number(row.rows) >= query.count && (await anyRowAfter(db, query, last)) };
}

async function anyRowAfter(db: SqlDatabase, query: CompartmentPageQuery, after: { type: string; id: string }): Promise<boolean> {
  const params = new SqlParams();
  const where = compartmentWhere(params, { ...query, after });
  return (await db.query(`SELECT 1 AS found FROM fhir_resources r WHERE ${where} LIMIT 1`, params.values)).length > 0;
}

/** Any engine, any caller: the rows, judged one by one when asked, each entry framed in JS. */
async function assembledByRows(db: SqlDatabase, query: CompartmentPageQuery): Promise<CompartmentPage> {
  const params = new SqlParams();
  const where = compartmentWhere(params, query);
  const found = (
    await db.query<ResourceRow>(
      `SELECT r.res_type, r.res_id, r.version, r.last_updated, r.seq, r.deleted, r.patient_id, ${bulkContentColumn(db, 'r')}
       FROM fhir_resources r WHERE ${where} ORDER BY r.res_type, r.res_id LIMIT ${params.add(query.count + 1)}`,
      params.values,
    )
  ).map(fromRow);
  const more = found.length > query.count;
  const rows = more ? found.slice(0, query.count) : found;
  const last = rows[rows.length - 1];
  const { head, beforeResource, tail } = query.frame;
  const chunks: (string | Buffer)[] = [];
  for (const row of rows) {
    if (query.mayRead && !query.mayRead(row)) continue;
    if (chunks.length) chunks.push(',');
    chunks.push(`${head}${row.type}/${row.id}${beforeResource}`, row.content ?? 'null', tail);
  }
  const entries = chunks.length ? Buffer.concat(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk))) : null;
  return { entries, last: last ? { type: last.type, id: last.id } : null, more };
}

/** One page of the patient's compartment (current, live resources), paged by (type, id). */
export function patientCompartmentPage(db: SqlDatabase, query: CompartmentPageQuery): Promise<CompartmentPage> {
  return db.dialect === 'sqlite' && query.mayRead === undefined ? assembledBySqlite(db, query) : assembledByRows(db, query);
}
