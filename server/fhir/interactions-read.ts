// The read side: read, vread, type search (with _include), history (instance, type, system) and
// Patient/$everything. Each response's Bundle.meta.lastUpdated is the watermark read BEFORE the
// data, so a client's next `_since` never skips a write.
import { CAPABILITY_TYPES, capabilityOf, supports, type TypeInteraction } from './capability.js';
import { authorizeRead, authorizeReadType, mayReadRow, readableTypes, searchScope } from './access-policy.js';
import { bundleJson, etagOf, historyEntry, searchEntry, searchEntryFrame, type BundleLink } from './bundle-json.js';
import { mayReadToChange } from './changeable-records.js';
import { FhirError } from './fhir-error.js';
import type { FhirContext, FhirResponse } from './fhir-context.js';
import { everythingStartMs } from './everything-window.js';
import { decodeCursor, encodeCursor } from './paging-cursor.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, parseSearch } from './search-parameters.js';
import { includeTarget } from './search-includes.js';
import {
  countResources,
  historyVersions,
  parseInstantRange,
  patientCompartmentPage,
  readCurrent,
  readManyInScope,
  readVersion,
  readWatermark,
  searchResources,
  stampToInstant,
  watermarkInstant,
  type AccessScope,
  type SearchFilter,
  type StoredResource,
} from './store/index.js';
import type { JsonChunk } from './bundle-json.js';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function requireType(type: string, interaction: TypeInteraction): void {
  const capability = capabilityOf(type);
  if (!capability) throw new FhirError(404, 'UNKNOWN_RESOURCE_TYPE', 'not-supported', `The hub does not serve the resource type ${type}.`);
  if (!supports(type, interaction)) {
    throw new FhirError(405, 'METHOD_NOT_ALLOWED', 'not-supported', `The hub does not support ${interaction} for ${type}.`);
  }
}

/** AuditEvents are the hub's trail, not resources of the store: the trail search answers (privacy role only). */
async function searchAuditEvents(ctx: FhirContext, query: URLSearchParams): Promise<FhirResponse> {
  const principal = ctx.access.principal;
  if (ctx.trail === null || principal === null) {
    throw new FhirError(405, 'METHOD_NOT_ALLOWED', 'not-supported', 'The audit trail is searched by a signed-in privacy officer.');
  }
  const page = await ctx.trail.search(principal, query, ctx.baseUrl, ctx.clock());
  return { status: 200, body: page.body, headers: { 'cache-control': 'no-store' } };
}

export function requireId(id: string): void {
  if (!ID.test(id)) throw new FhirError(400, 'INVALID_ID', 'value', 'A FHIR id is 1–64 letters, digits, "-" or ".".');
}

export function resourceHeaders(stored: StoredResource): Record<string, string> {
  return {
    etag: etagOf(stored.version),
    'last-modified': new Date(Math.floor(stored.lastUpdated / 1000)).toUTCString(),
  };
}

function gone(type: string): FhirError {
  return new FhirError(410, 'GONE', 'deleted', `This ${type} was deleted.`);
}

function notFound(type: string): FhirError {
  return new FhirError(404, 'NOT_FOUND', 'not-found', `No ${type} with this id exists on the hub.`);
}

export async function readResource(ctx: FhirContext, type: string, id: string): Promise<FhirResponse> {
  requireType(type, 'read');
  requireId(id);
  const stored = await readCurrent(ctx.db, type, id);
  if (!stored) throw notFound(type);
  const now = ctx.clock();
  // A record its device may still change is read by id even when its patient left the ward (the version a 412 named).
  await authorizeRead(ctx.db, ctx.access, { type, id, patientId: stored.patientId, stored }, 'read', now, () =>
    mayReadToChange(ctx.db, ctx.access, stored, now),
  );
  if (stored.deleted) throw gone(type);
  return { status: 200, body: stored.content, headers: resourceHeaders(stored) };
}

export async function vreadResource(ctx: FhirContext, type: string, id: string, versionText: string): Promise<FhirResponse> {
  requireType(type, 'vread');
  requireId(id);
  if (!/^[1-9]\d{0,8}$/.test(versionText)) throw new FhirError(400, 'INVALID_ID', 'value', 'A version id is a positive whole number.');
  const stored = await readVersion(ctx.db, type, id, Number(versionText));
  if (!stored) throw new FhirError(404, 'NOT_FOUND', 'not-found', `This ${type} has no such version.`);
  await authorizeRead(ctx.db, ctx.access, { type, id, patientId: stored.patientId, stored }, 'vread', ctx.clock());
  if (stored.deleted) throw gone(type);
  return { status: 200, body: stored.content, headers: resourceHeaders(stored) };
}

function pageLinks(selfUrl: string, nextUrl: string | null): BundleLink[] {
  return nextUrl
    ? [
        { relation: 'self', url: selfUrl },
        { relation: 'next', url: nextUrl },
      ]
    : [{ relation: 'self', url: selfUrl }];
}

function withCursor(baseUrl: string, path: string, query: URLSearchParams, cursor: string): string {
  const next = new URLSearchParams([...query].filter(([key]) => key !== '_cursor'));
  next.set('_cursor', cursor);
  return `${baseUrl}/${path}?${next.toString()}`;
}

function selfLink(baseUrl: string, path: string, query: URLSearchParams): string {
  const text = query.toString();
  return text ? `${baseUrl}/${path}?${text}` : `${baseUrl}/${path}`;
}

function bundleResponse(body: Buffer): FhirResponse {
  return { status: 200, body, headers: {} };
}

/**
 * A Patient search by identifier (an MRN) that breaks the glass, with a signed-in user and a
 * reason: the patients it matches in the whole hub (at most two are looked up), so that
 * searchScope may widen the search to the one patient it names, and record that access. A match
 * of two or more widens nothing.
 */
async function patientsNamedByIdentifier(ctx: FhirContext, type: string, filters: readonly SearchFilter[]): Promise<string[]> {
  const access = ctx.access;
  if (type !== 'Patient' || access.scope.kind === 'all' || !access.btgReason || !access.principal?.user) return [];
  if (!filters.some((filter) => filter.kind === 'token' && filter.param === 'identifier')) return [];
  const found = await searchResources(ctx.db, { type, filters, order: 'id', count: 2, scope: { kind: 'all' } });
  return found.rows.map((row) => row.id);
}

/**
 * The resources the page's matches point to through each _include, read within the same scope and
 * role checks as the matches (never one the caller could not read on its own), each once.
 */
async function includedEntries(
  ctx: FhirContext,
  includes: readonly string[],
  rows: readonly StoredResource[],
  scope: AccessScope,
): Promise<JsonChunk[][]> {
  const wanted = new Map<string, Set<string>>();
  for (const name of includes) {
    const target = includeTarget(name);
    if (!target) continue;
    const ids = wanted.get(target.targetType) ?? new Set<string>();
    for (const row of rows) for (const id of target.idsOf(row)) ids.add(id);
    wanted.set(target.targetType, ids);
  }
  const matched = new Set(rows.map((row) => `${row.type}/${row.id}`));
  const entries: JsonChunk[][] = [];
  for (const [type, ids] of wanted) {
    const fresh = [...ids].filter((id) => !matched.has(`${type}/${id}`));
    if (fresh.length === 0) continue;
    const readable = (await readManyInScope(ctx.db, type, fresh, scope)).filter((row) => mayReadRow(ctx.access, row));
    entries.push(...readable.map((row) => searchEntry(ctx.baseUrl, row, 'include')));
  }
  return entries;
}

export async function searchType(ctx: FhirContext, type: string, query: URLSearchParams): Promise<FhirResponse> {
  requireType(type, 'search-type');
  if (type === 'AuditEvent') return searchAuditEvents(ctx, query);
  authorizeReadType(ctx.access, type);
  const parsed = parseSearch(type, query);
  const cursor = parsed.cursor === null ? null : decodeCursor(parsed.cursor, 'search');
  const mark = cursor ? cursor.mark : (await readWatermark(ctx.db)).stamp;
  const named = await patientsNamedByIdentifier(ctx, type, parsed.filters);
  const scope = await searchScope(ctx.db, ctx.access, type, [...parsed.patientIds, ...named], ctx.clock());
  const maxLastUpdated = parsed.order === 'id' ? undefined : mark;
  if (parsed.summaryCount) {
    const total = await countResources(ctx.db, { type, filters: parsed.filters, scope });
    return bundleResponse(
      bundleJson({
        type: 'searchset',
        lastUpdated: stampToInstant(mark + 1),
        links: pageLinks(selfLink(ctx.baseUrl, type, query), null),
        entries: [],
        total,
      }),
    );
  }
  const page =
    parsed.count === 0
      ? { rows: [], more: false }
      : await searchResources(ctx.db, {
          type,
          filters: parsed.filters,
          order: parsed.order,
          count: parsed.count,
          scope,
          ...(cursor ? { after: { afterId: cursor.id, ...(cursor.at === undefined ? {} : { afterLastUpdated: cursor.at }) } } : {}),
          ...(maxLastUpdated === undefined ? {} : { maxLastUpdated }),
        });
  const entries = page.rows.map((row) => searchEntry(ctx.baseUrl, row, 'match'));
  if (parsed.includes.length && page.rows.length) entries.push(...(await includedEntries(ctx, parsed.includes, page.rows, scope)));
  // The total is free when the first page holds every match; otherwise it is counted on request.
  const total =
    parsed.accurateTotal || (parsed.count === 0 && !cursor)
      ? await countResources(ctx.db, { type, filters: parsed.filters, scope })
      : !cursor && !page.more
        ? page.rows.length
        : undefined;
  const last = page.rows[page.rows.length - 1];
  const nextUrl =
    page.more && last
      ? withCursor(
          ctx.baseUrl,
          type,
          query,
          encodeCursor({
            k: 'search',
            id: last.id,
            mark,
            ...(parsed.order === 'id' ? {} : { at: last.lastUpdated }),
          }),
        )
      : null;
  return bundleResponse(
    bundleJson({
      type: 'searchset',
      lastUpdated: stampToInstant(mark + 1),
      links: pageLinks(selfLink(ctx.baseUrl, type, query), nextUrl),
      entries,
      ...(total === undefined ? {} : { total }),
    }),
  );
}

const HISTORY_PARAMS = new Set(['_since', '_count', '_cursor', '_format']);

export interface HistoryTarget {
  readonly type?: string;
  readonly id?: string;
}

export async function history(ctx: FhirContext, target: HistoryTarget, query: URLSearchParams): Promise<FhirResponse> {
  if (target.type !== undefined) requireType(target.type, target.id === undefined ? 'history-type' : 'history-instance');
  if (target.id !== undefined) requireId(target.id);
  let since: number | undefined;
  let count = DEFAULT_PAGE_SIZE;
  let cursorText: string | null = null;
  for (const [key, value] of query) {
    if (!HISTORY_PARAMS.has(key))
      throw new FhirError(400, 'INVALID_SEARCH', 'invalid', `History supports _since, _count and paging, not "${key}".`, key);
    if (key === '_since') {
      const range = /T/.test(value) ? parseInstantRange(value) : null;
      if (!range)
        throw new FhirError(400, 'INVALID_SEARCH', 'invalid', '_since takes an instant, e.g. 2024-05-01T10:42:00.000Z.', '_since');
      since = range.start;
    } else if (key === '_count') {
      if (!/^\d{1,9}$/.test(value)) throw new FhirError(400, 'INVALID_SEARCH', 'invalid', '_count takes a whole number.', '_count');
      count = Math.min(Number(value), MAX_PAGE_SIZE);
    } else if (key === '_cursor') {
      cursorText = value;
    }
  }
  let scope = ctx.access.scope;
  if (target.type !== undefined) authorizeReadType(ctx.access, target.type);
  else authorizeReadType(ctx.access, 'Location');
  if (target.type !== undefined && target.id !== undefined) {
    // Instance history follows the read rule for that resource (break-the-glass allowed).
    const current = await readCurrent(ctx.db, target.type, target.id);
    if (!current) throw notFound(target.type);
    await authorizeRead(ctx.db, ctx.access, { type: target.type, id: target.id, patientId: current.patientId }, 'history', ctx.clock());
    scope = { kind: 'all' };
  }
  const cursor = cursorText === null ? null : decodeCursor(cursorText, 'history');
  const watermark = cursor ? { stamp: cursor.mark, seq: cursor.max } : await readWatermark(ctx.db);
  // The common poll: nothing was written at or after `_since` (every stamp is ≤ the watermark's).
  const nothingNewer = since !== undefined && since > watermark.stamp;
  const page =
    count === 0 || nothingNewer
      ? { rows: [], more: false }
      : await historyVersions(ctx.db, {
          ...(target.type === undefined ? {} : { type: target.type }),
          ...(target.id === undefined ? {} : { id: target.id }),
          ...(since === undefined ? {} : { since }),
          maxSeq: watermark.seq,
          ...(cursor ? { beforeSeq: cursor.before } : {}),
          count,
          scope,
        });
  const path = [target.type, target.id, '_history'].filter((part) => part !== undefined).join('/');
  const last = page.rows[page.rows.length - 1];
  const nextUrl =
    page.more && last
      ? withCursor(ctx.baseUrl, path, query, encodeCursor({ k: 'history', before: last.seq, max: watermark.seq, mark: watermark.stamp }))
      : null;
  return bundleResponse(
    bundleJson({
      type: 'history',
      lastUpdated: watermarkInstant(watermark),
      links: pageLinks(selfLink(ctx.baseUrl, path, query), nextUrl),
      entries: page.rows.filter((row) => mayReadRow(ctx.access, row)).map((row) => historyEntry(ctx.baseUrl, row)),
    }),
  );
}

const EVERYTHING_PARAMS = new Set(['_count', '_cursor', '_format', 'start']);
export const EVERYTHING_PAGE_SIZE = 1000;

export async function patientEverything(ctx: FhirContext, patientId: string, query: URLSearchParams): Promise<FhirResponse> {
  requireType('Patient', 'read');
  requireId(patientId);
  let count = EVERYTHING_PAGE_SIZE;
  let cursorText: string | null = null;
  let startMs: number | null = null;
  for (const [key, value] of query) {
    if (!EVERYTHING_PARAMS.has(key))
      throw new FhirError(400, 'INVALID_SEARCH', 'invalid', `$everything supports _count, start and paging, not "${key}".`, key);
    if (key === '_count') {
      if (!/^\d{1,9}$/.test(value)) throw new FhirError(400, 'INVALID_SEARCH', 'invalid', '_count takes a whole number.', '_count');
      count = Math.min(Math.max(Number(value), 1), MAX_PAGE_SIZE);
    } else if (key === '_cursor') {
      cursorText = value;
    } else if (key === 'start') {
      startMs = everythingStartMs(value);
    }
  }
  const cursor = cursorText === null ? null : decodeCursor(cursorText, 'everything');
  const mark = cursor ? cursor.mark : (await readWatermark(ctx.db)).stamp;
  const patient = await readCurrent(ctx.db, 'Patient', patientId);
  if (!patient) throw notFound('Patient');
  await authorizeRead(ctx.db, ctx.access, { type: 'Patient', id: patientId, patientId }, 'everything', ctx.clock());
  if (patient.deleted) throw gone('Patient');
  // The role's read rule, decided once for the page: by type in the query, or row by row.
  const types = readableTypes(ctx.access, CAPABILITY_TYPES);
  const page = await patientCompartmentPage(ctx.db, {
    patientId,
    count,
    ...(cursor ? { after: { type: cursor.type, id: cursor.id } } : {}),
    ...(startMs === null ? {} : { careFromMs: startMs }),
    ...(types === 'per-resource' ? { types: null, mayRead: (row: StoredResource) => mayReadRow(ctx.access, row) } : { types }),
    frame: searchEntryFrame(ctx.baseUrl, null),
  });
  const path = `Patient/${patientId}/$everything`;
  const last = page.last;
  const nextUrl =
    page.more && last ? withCursor(ctx.baseUrl, path, query, encodeCursor({ k: 'everything', type: last.type, id: last.id, mark })) : null;
  return bundleResponse(
    bundleJson({
      type: 'searchset',
      lastUpdated: stampToInstant(mark + 1),
      links: pageLinks(selfLink(ctx.baseUrl, path, query), nextUrl),
      entries: [],
      joinedEntries: page.entries,
    }),
  );
}
