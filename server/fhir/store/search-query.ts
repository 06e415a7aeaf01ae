// Type-level search over current versions: the filters the wire protocol needs, keyset paging
// (by id, or by lastUpdated then id), limited to the caller's scope. Values are bound parameters.
import { SqlParams, type SqlDatabase } from '../../storage/index.js';
import { scopeCondition, type AccessScope } from './access-scope.js';
import { bulkContentColumn, fromRow, type ResourceRow, type StoredResource } from './stored-resource.js';

export interface TokenAlternative {
  /** undefined: any system; '' : no system. */
  readonly system?: string;
  /** undefined: any value in the system. */
  readonly value?: string;
}

export type Comparator = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le';

export type SearchFilter =
  | { readonly kind: 'id'; readonly values: readonly string[] }
  | { readonly kind: 'patient'; readonly values: readonly string[] }
  | { readonly kind: 'status'; readonly values: readonly string[] }
  | { readonly kind: 'token'; readonly param: string; readonly alternatives: readonly TokenAlternative[] }
  | { readonly kind: 'lastUpdated'; readonly comparator: Comparator; readonly start: number; readonly end: number }
  /** The resource's clinical date (clinical-terms.ts) against [start, end), with R4's prefix rules. */
  | { readonly kind: 'date'; readonly comparator: Comparator; readonly start: number; readonly end: number };

export type SearchOrder = 'id' | 'lastUpdated' | '-lastUpdated';

export interface SearchPosition {
  /** The last row of the previous page. */
  readonly afterId: string;
  readonly afterLastUpdated?: number;
}

export interface SearchQuery {
  readonly type: string;
  readonly filters: readonly SearchFilter[];
  readonly order: SearchOrder;
  readonly count: number;
  readonly scope: AccessScope;
  readonly after?: SearchPosition;
  /** For lastUpdated orders: rows newer than this stamp are left to the next incremental poll. */
  readonly maxLastUpdated?: number;
}

function filterSql(params: SqlParams, filter: SearchFilter): string {
  switch (filter.kind) {
    case 'id':
      return `r.res_id IN (${params.list(filter.values)})`;
    case 'patient':
      return `r.patient_id IN (${params.list(filter.values)})`;
    case 'status':
      return `r.status IN (${params.list(filter.values)})`;
    case 'token': {
      const alternatives = filter.alternatives.map((alt) => {
        const parts: string[] = [];
        if (alt.value !== undefined) parts.push(`t.value = ${params.add(alt.value)}`);
        if (alt.system !== undefined) parts.push(`t.system = ${params.add(alt.system)}`);
        return parts.length ? `(${parts.join(' AND ')})` : '1 = 1';
      });
      return `r.res_id IN (SELECT t.res_id FROM fhir_tokens t WHERE t.res_type = r.res_type AND t.param = ${params.add(filter.param)}
        AND (${alternatives.join(' OR ')}))`;
    }
    case 'date':
      return dateSql(params, filter.comparator, filter.start, filter.end);
    case 'lastUpdated':
      switch (filter.comparator) {
        case 'eq':
          return `(r.last_updated >= ${params.add(filter.start)} AND r.last_updated < ${params.add(filter.end)})`;
        case 'ne':
          return `(r.last_updated < ${params.add(filter.start)} OR r.last_updated >= ${params.add(filter.end)})`;
        case 'gt':
          return `r.last_updated >= ${params.add(filter.end)}`;
        case 'ge':
          return `r.last_updated >= ${params.add(filter.start)}`;
        case 'lt':
          return `r.last_updated < ${params.add(filter.start)}`;
        case 'le':
          return `r.last_updated < ${params.add(filter.end)}`;
      }
  }
}

/**
 * R4 date prefixes on a target span [s, e) and a search span [ps, pe): eq, the search span holds the
 * target's; gt, the target reaches past the search span; lt, it starts before it; ge and le, either
 * that or eq; ne, not eq. A resource without the date matches none of them.
 */
function dateSql(params: SqlParams, comparator: Comparator, start: number, end: number): string {
  const contained = (): string => `(r.date_start >= ${params.add(start)} AND r.date_end <= ${params.add(end)})`;
  switch (comparator) {
    case 'eq':
      return contained();
    case 'ne':
      return `(r.date_start IS NOT NULL AND NOT ${contained()})`;
    case 'gt':
      return `r.date_end > ${params.add(end)}`;
    case 'lt':
      return `r.date_start < ${params.add(start)}`;
    case 'ge':
      return `(r.date_end > ${params.add(end)} OR ${contained()})`;
    case 'le':
      return `(r.date_start < ${params.add(start)} OR ${contained()})`;
  }
}

function whereOf(params: SqlParams, type: string, filters: readonly SearchFilter[], scope: AccessScope): string[] {
  const where = [`r.res_type = ${params.add(type)}`, 'r.deleted = 0'];
  for (const filter of filters) where.push(filterSql(params, filter));
  where.push(scopeCondition(params, scope, 'r'));
  return where;
}

/** How many current resources match (for _summary=count and _total=accurate). */
export async function countResources(
  db: SqlDatabase,
  query: { readonly type: string; readonly filters: readonly SearchFilter[]; readonly scope: AccessScope },
): Promise<number> {
  const params = new SqlParams();
  const where = whereOf(params, query.type, query.filters, query.scope);
  const rows = await db.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM fhir_resources r WHERE ${where.join(' AND ')}`,
    params.values,
  );
  return Number(rows[0]?.n ?? 0);
}

/** One page (at most `count` rows) plus whether more follow. */
export async function searchResources(db: SqlDatabase, query: SearchQuery): Promise<{ rows: StoredResource[]; more: boolean }> {
  const params = new SqlParams();
  const where = whereOf(params, query.type, query.filters, query.scope);
  let orderBy: string;
  if (query.order === 'id') {
    if (query.after) where.push(`r.res_id > ${params.add(query.after.afterId)}`);
    orderBy = 'r.res_id';
  } else {
    if (query.maxLastUpdated !== undefined) where.push(`r.last_updated <= ${params.add(query.maxLastUpdated)}`);
    const descending = query.order === '-lastUpdated';
    if (query.after?.afterLastUpdated !== undefined) {
      const at = query.after.afterLastUpdated;
      const op = descending ? '<' : '>';
      where.push(
        `(r.last_updated ${op} ${params.add(at)} OR (r.last_updated = ${params.add(at)} AND r.res_id ${op} ${params.add(query.after.afterId)}))`,
      );
    }
    orderBy = descending ? 'r.last_updated DESC, r.res_id DESC' : 'r.last_updated, r.res_id';
  }
  const sql = `SELECT r.res_type, r.res_id, r.version, r.last_updated, r.seq, r.deleted, r.patient_id, ${bulkContentColumn(db, 'r')}
    FROM fhir_resources r WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ${params.add(query.count + 1)}`;
  const rows = (await db.query<ResourceRow>(sql, params.values)).map(fromRow);
  const more = rows.length > query.count;
  return { rows: more ? rows.slice(0, query.count) : rows, more };
}

/** Current, live resources of one type by id, limited to the scope (for _include). */
export async function readManyInScope(
  db: SqlDatabase,
  type: string,
  ids: readonly string[],
  scope: AccessScope,
): Promise<StoredResource[]> {
  if (ids.length === 0) return [];
  const params = new SqlParams();
  const sql = `SELECT r.res_type, r.res_id, r.version, r.last_updated, r.seq, r.deleted, r.patient_id, ${bulkContentColumn(db, 'r')} FROM fhir_resources r
    WHERE r.res_type = ${params.add(type)} AND r.res_id IN (${params.list(ids)}) AND r.deleted = 0 AND ${scopeCondition(params, scope, 'r')}
    ORDER BY r.res_id`;
  return (await db.query<ResourceRow>(sql, params.values)).map(fromRow);
}

/**
 * A patient's compartment (the Patient and everything that belongs to them), paged by (type, id);
 * with `careFromMs`, only what matters whatever its date and care that reaches that instant.
 */
export async function patientCompartment(
  db: SqlDatabase,
  patientId: string,
  count: number,
  after?: { type: string; id: string },
  careFromMs?: number,
): Promise<{ rows: StoredResource[]; more: boolean }> {
  const params = new SqlParams();
  const where = [`r.patient_id = ${params.add(patientId)}`, 'r.deleted = 0'];
  if (careFromMs !== undefined) where.push(`(r.care_end_ms IS NULL OR r.care_end_ms >= ${params.add(careFromMs)})`);
  if (after) {
    const t = params.add(after.type);
    where.push(`(r.res_type > ${t} OR (r.res_type = ${t} AND r.res_id > ${params.add(after.id)}))`);
  }
  const sql = `SELECT r.res_type, r.res_id, r.version, r.last_updated, r.seq, r.deleted, r.patient_id, ${bulkContentColumn(db, 'r')} FROM fhir_resources r
    WHERE ${where.join(' AND ')} ORDER BY r.res_type, r.res_id LIMIT ${params.add(count + 1)}`;
  const rows = (await db.query<ResourceRow>(sql, params.values)).map(fromRow);
  const more = rows.length > count;
  return { rows: more ? rows.slice(0, count) : rows, more };
}
