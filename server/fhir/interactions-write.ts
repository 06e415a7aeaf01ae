// The write side: create (with If-None-Exist), update (with If-Match; update-as-create), delete
// (a versioned tombstone) and AuditEvent upload. Each runs inside the caller's write transaction
// (beginWrite … endWrite), so a transaction Bundle can chain several of them all-or-nothing.
import { randomUUID } from 'node:crypto';
import type { AuditEvent, Resource } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { authorizeWrite } from './access-policy.js';
import { etagOf } from './bundle-json.js';
import { FhirError, informationOutcome } from './fhir-error.js';
import type { FhirContext, FhirResponse } from './fhir-context.js';
import { requireId, requireType, resourceHeaders } from './interactions-read.js';
import { validatedBody } from './resource-body.js';
import { parseSearch } from './search-parameters.js';
import {
  readCurrent,
  searchResources,
  stampToInstant,
  writeDeletion,
  writeVersions,
  type StoredResource,
  type WriteSession,
} from './store/index.js';

/** The outcome of one write: the HTTP answer and, for bundles, what was stored. */
export interface WriteOutcome {
  readonly response: FhirResponse;
  readonly stored: StoredResource | null;
}

/** `W/"3"` or `"3"` → 3. */
export function parseIfMatch(header: string): number {
  const match = /^(?:W\/)?"([1-9]\d{0,8})"$/.exec(header.trim());
  if (!match) throw new FhirError(400, 'INVALID_HEADER', 'invalid', 'If-Match takes a version ETag such as W/"3".', 'If-Match');
  return Number(match[1]);
}

function writtenResponse(ctx: FhirContext, stored: StoredResource, status: number): FhirResponse {
  const headers: Record<string, string> = {
    ...resourceHeaders(stored),
    location: `${ctx.baseUrl}/${stored.type}/${stored.id}/_history/${stored.version}`,
  };
  if (ctx.prefer === 'minimal') return { status, body: null, headers };
  if (ctx.prefer === 'OperationOutcome') {
    return { status, body: JSON.stringify(informationOutcome(`${stored.type}/${stored.id} version ${stored.version} stored.`)), headers };
  }
  return { status, body: stored.content, headers };
}

/** Finds the resources an If-None-Exist query (e.g. `identifier=system|value`) matches, whatever the scope. */
export async function conditionalMatches(tx: SqlDatabase, type: string, condition: string): Promise<StoredResource[]> {
  const query = new URLSearchParams(condition.startsWith('?') ? condition.slice(1) : condition);
  const parsed = parseSearch(type, query);
  if (parsed.filters.length === 0) {
    throw new FhirError(
      400,
      'INVALID_SEARCH',
      'invalid',
      'If-None-Exist needs at least one search criterion, e.g. identifier=system|value.',
      'If-None-Exist',
    );
  }
  const page = await searchResources(tx, { type, filters: parsed.filters, order: 'id', count: 2, scope: { kind: 'all' } });
  return page.rows;
}

export interface CreateOptions {
  readonly ifNoneExist?: string;
  /** Transaction Bundles assign ids before they write (urn:uuid rewriting). */
  readonly assignedId?: string;
  readonly where?: string;
}

export async function createResource(
  ctx: FhirContext,
  tx: SqlDatabase,
  session: WriteSession,
  type: string,
  body: unknown,
  options: CreateOptions = {},
): Promise<WriteOutcome> {
  requireType(type, 'create');
  const resource = validatedBody(body, type, options.where);
  const now = ctx.clock();
  if (options.ifNoneExist !== undefined) {
    const matches = await conditionalMatches(tx, type, options.ifNoneExist);
    if (matches.length > 1) {
      throw new FhirError(
        412,
        'MULTIPLE_MATCHES',
        'duplicate',
        `${options.where ?? ''}If-None-Exist matches more than one ${type}; the hub cannot tell which one is meant.`,
      );
    }
    const existing = matches[0];
    if (existing) {
      await authorizeWrite(tx, ctx.access, type, null, existing.patientId, now);
      return { response: writtenResponse(ctx, existing, 200), stored: existing };
    }
  }
  const id = options.assignedId ?? randomUUID();
  const fresh = { ...resource, id } as Resource;
  await authorizeWrite(tx, ctx.access, type, fresh, null, now);
  const [stored] = await writeVersions(tx, session, [{ resource: fresh, previous: null }]);
  return { response: writtenResponse(ctx, stored!, 201), stored: stored! };
}

export interface UpdateOptions {
  readonly ifMatch?: string;
  readonly where?: string;
}

export async function updateResource(
  ctx: FhirContext,
  tx: SqlDatabase,
  session: WriteSession,
  type: string,
  id: string,
  body: unknown,
  options: UpdateOptions = {},
): Promise<WriteOutcome> {
  requireType(type, 'update');
  requireId(id);
  const resource = validatedBody(body, type, options.where);
  if (resource.id !== id) {
    throw new FhirError(400, 'ID_MISMATCH', 'invalid', `${options.where ?? ''}The body's id must equal the id in the URL.`, `${type}.id`);
  }
  const previous = await readCurrent(tx, type, id);
  if (options.ifMatch !== undefined) {
    const expected = parseIfMatch(options.ifMatch);
    if (!previous || previous.deleted || previous.version !== expected) {
      throw new FhirError(
        412,
        'VERSION_CONFLICT',
        'conflict',
        `${options.where ?? ''}This ${type} changed on the hub since version ${expected} was read${previous ? ` (now version ${previous.version}${previous.deleted ? ', deleted' : ''})` : ''}; nothing was overwritten.`,
      );
    }
  }
  await authorizeWrite(tx, ctx.access, type, resource, previous?.patientId ?? null, ctx.clock());
  const [stored] = await writeVersions(tx, session, [{ resource, previous }]);
  return { response: writtenResponse(ctx, stored!, !previous || previous.deleted ? 201 : 200), stored: stored! };
}

export async function deleteResource(
  ctx: FhirContext,
  tx: SqlDatabase,
  session: WriteSession,
  type: string,
  id: string,
  options: UpdateOptions = {},
): Promise<WriteOutcome> {
  requireType(type, 'delete');
  requireId(id);
  const current = await readCurrent(tx, type, id);
  if (!current) throw new FhirError(404, 'NOT_FOUND', 'not-found', `${options.where ?? ''}No ${type} with this id exists on the hub.`);
  if (options.ifMatch !== undefined) {
    const expected = parseIfMatch(options.ifMatch);
    if (current.deleted || current.version !== expected) {
      throw new FhirError(
        412,
        'VERSION_CONFLICT',
        'conflict',
        `${options.where ?? ''}This ${type} changed on the hub since version ${expected} was read; nothing was deleted.`,
      );
    }
  }
  await authorizeWrite(tx, ctx.access, type, null, current.patientId, ctx.clock());
  if (current.deleted) return { response: { status: 204, body: null, headers: { etag: etagOf(current.version) } }, stored: current };
  const stored = await writeDeletion(tx, session, current);
  return { response: { status: 204, body: null, headers: { etag: etagOf(stored.version) } }, stored };
}

/**
 * PUT AuditEvent/{id}: handed to the audit ingest (idempotent by id, checked against the device's
 * hash chain). Not versioned in the resource store.
 */
export async function uploadAuditEvent(ctx: FhirContext, tx: SqlDatabase, id: string, body: unknown, where = ''): Promise<FhirResponse> {
  requireType('AuditEvent', 'update');
  requireId(id);
  const event = validatedBody(body, 'AuditEvent', where) as AuditEvent;
  if (event.id !== id)
    throw new FhirError(400, 'ID_MISMATCH', 'invalid', `${where}The AuditEvent's id must equal the id in the URL.`, 'AuditEvent.id');
  const principal = ctx.access.principal;
  if (!principal || !ctx.audit) {
    throw new FhirError(403, 'FORBIDDEN', 'forbidden', 'Audit events are uploaded by enrolled devices only.');
  }
  const result = await ctx.audit.recordAuditEvent(tx, principal, event, stampToInstant(ctx.clock().getTime() * 1000));
  return {
    status: result.created ? 201 : 200,
    body: ctx.prefer === 'representation' ? JSON.stringify(event) : null,
    headers: { location: `${ctx.baseUrl}/AuditEvent/${id}` },
  };
}
