// The write side: create (with If-None-Exist), update (with If-Match; update-as-create), delete
// (refused: nothing is deleted on request) and AuditEvent upload. Each runs inside the caller's write transaction
// (beginWrite … endWrite), so a transaction Bundle can chain several of them all-or-nothing.
import { randomUUID } from 'node:crypto';
import type { AuditEvent, Resource } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { ADT_TYPES } from '../../shared/access/index.js';
import type { Access } from './access-policy.js';
import { mayChangeRecord, mayMatchRecord } from './changeable-records.js';
import { resolveResourceReferences } from './conditional-references.js';
import { authorizeWrites, WriteJournal } from './write-policy.js';
import { writeHubProvenance } from './hub-provenance.js';
import { FhirError, informationOutcome } from './fhir-error.js';
import type { FhirContext, FhirResponse } from './fhir-context.js';
import { requireId, requireType, resourceHeaders } from './interactions-read.js';
import { capabilityOf } from './capability.js';
import { followMergedRecords } from './surviving-references.js';
import { validatedBody } from './resource-body.js';
import { parseSearch } from './search-parameters.js';
import {
  noteLateUploads,
  readCurrent,
  searchResources,
  stampToInstant,
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

/**
 * The resources an If-None-Exist query (e.g. `identifier=system|value`) matches among those the
 * caller may match (changeable-records.ts mayMatchRecord): a record of another ward, or of a patient
 * who left the caller's ward that it may not read to change (what the new ward documented after the
 * transfer, a lab result, a Provenance), counts as none, so the answer is the same whether or not it
 * exists.
 */
export async function conditionalMatches(
  tx: SqlDatabase,
  access: Access,
  type: string,
  condition: string,
  now: Date,
): Promise<StoredResource[]> {
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
  const page = await searchResources(tx, { type, filters: parsed.filters, order: 'id', count: 50, scope: { kind: 'all' } });
  const visible: StoredResource[] = [];
  for (const row of page.rows) {
    if (await mayMatchRecord(tx, access, row, now)) visible.push(row);
    if (visible.length === 2) break;
  }
  return visible;
}

/**
 * Refuses a change to another ward's resource before its version is compared, so If-Match cannot
 * tell a workstation which version a resource outside its scope is at.
 */
async function refuseEarly(ctx: FhirContext, tx: SqlDatabase, type: string, previous: StoredResource | null): Promise<void> {
  if (ctx.access.principal === null || previous === null) return;
  if (ADT_TYPES.includes(type) || !(await mayChangeRecord(tx, ctx.access, previous, ctx.clock()))) {
    // The policy's own refusal (ADT source, scope), with its code; the fallback below is not reached in practice.
    const alone = new WriteJournal();
    alone.note({ type, id: previous.id, next: null, previous, matched: false, ifMatch: false });
    await authorizeWrites(tx, ctx.access, alone, ctx.clock());
    throw new FhirError(403, 'OUT_OF_SCOPE', 'forbidden', 'This record is outside what this workstation may change. Nothing was stored.');
  }
}

/**
 * A workstation's documentation names the records it had cached; those the hub merged away since (an
 * A40, a match with the EHR) are followed to their survivors before the write is judged and stored.
 */
async function onSurvivingRecords(ctx: FhirContext, tx: SqlDatabase, resource: Resource): Promise<void> {
  if (ctx.access.principal === null || ADT_TYPES.includes(resource.resourceType)) return;
  await followMergedRecords(tx, resource);
}

/** The journal the current write transaction notes its writes in. */
function journalOf(ctx: FhirContext): WriteJournal {
  if (ctx.writes === null) throw new Error('A write ran outside a write transaction.');
  return ctx.writes;
}

/**
 * Judges every write the transaction noted (write-policy.ts), notes which device created late
 * documentation (store/late-uploads.ts), then writes the hub's Provenance for a signed-in user's
 * writes that came without one; call before endWrite. Throws (rolling everything
 * back) on refusal.
 */
export async function finishWrites(ctx: FhirContext, tx: SqlDatabase, session: WriteSession): Promise<void> {
  const now = ctx.clock();
  const lateCreates = await authorizeWrites(tx, ctx.access, journalOf(ctx), now);
  if (ctx.access.principal !== null && lateCreates.length > 0)
    await noteLateUploads(tx, ctx.access.principal.device.deviceId, lateCreates, now);
  await writeHubProvenance(tx, session, ctx.access, journalOf(ctx), now);
}

/** A fresh journal for one write transaction (per attempt: PostgreSQL may run the work again). */
export function writeContext(ctx: FhirContext, tx: SqlDatabase): FhirContext {
  return { ...ctx, db: tx, writes: new WriteJournal() };
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
  await resolveResourceReferences(tx, ctx.access, resource, options.where);
  // Merges are followed first, so a retry that finds its earlier copy (moved by an A40 since) is
  // judged on the patient that copy is on now, as the copy itself is.
  await onSurvivingRecords(ctx, tx, resource);
  const now = ctx.clock();
  if (options.ifNoneExist !== undefined) {
    const matches = await conditionalMatches(tx, ctx.access, type, options.ifNoneExist, now);
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
      journalOf(ctx).note({
        type,
        id: existing.id,
        next: { ...resource, id: existing.id } as Resource,
        previous: existing,
        matched: true,
        ifMatch: false,
      });
      return { response: writtenResponse(ctx, existing, 200), stored: existing };
    }
  }
  const id = options.assignedId ?? randomUUID();
  const fresh = { ...resource, id } as Resource;
  journalOf(ctx).note({ type, id, next: fresh, previous: null, matched: false, ifMatch: false });
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
  await resolveResourceReferences(tx, ctx.access, resource, options.where);
  if (resource.id !== id) {
    throw new FhirError(400, 'ID_MISMATCH', 'invalid', `${options.where ?? ''}The body's id must equal the id in the URL.`, `${type}.id`);
  }
  const previous = await readCurrent(tx, type, id);
  await refuseEarly(ctx, tx, type, previous);
  await onSurvivingRecords(ctx, tx, resource);
  if (options.ifMatch !== undefined) {
    const expected = parseIfMatch(options.ifMatch);
    if (!previous || previous.deleted || previous.version !== expected) {
      throw new FhirError(
        412,
        'VERSION_CONFLICT',
        'conflict',
        `${options.where ?? ''}This ${type} changed on the hub since version ${expected} was read${previous ? ` (now version ${previous.version}${previous.deleted ? ', deleted' : ''})` : ''}; nothing was overwritten.`,
        undefined,
        // Judged writable by refuseEarly above: the caller learns the version it may write on, no content.
        previous && !previous.deleted ? `${type}/${id}/_history/${previous.version}` : undefined,
      );
    }
  }
  journalOf(ctx).note({ type, id, next: resource, previous: previous ?? null, matched: false, ifMatch: options.ifMatch !== undefined });
  const [stored] = await writeVersions(tx, session, [{ resource, previous }]);
  return { response: writtenResponse(ctx, stored!, !previous || previous.deleted ? 201 : 200), stored: stored! };
}

/**
 * DELETE, plain or as a Bundle entry: refused for every type and every principal of the API (405
 * DELETE_NOT_ALLOWED), before anything is read, so the answer says nothing of the record. Nothing
 * recorded is ever lost: a workstation corrects documentation or marks it entered in error (an update
 * with If-Match, judged by write-policy.ts and documentation-rules.ts); the EHR's data changes only
 * through its feeds (ADT, the mirror's deletion sweep), which write without a request. Not 403 (an
 * access refusal), 412 (a workstation's conflict) or 428 (a missing If-Match): no role, version or
 * header makes a deletion acceptable.
 */
export function deleteResource(type: string, id: string, options: { where?: string } = {}): never {
  if (!capabilityOf(type)) requireType(type, 'delete');
  requireId(id);
  throw new FhirError(
    405,
    'DELETE_NOT_ALLOWED',
    'not-supported',
    `${options.where ?? ''}The hub deletes nothing on request: recorded documentation is corrected, or marked entered in error, by an update with If-Match (the version it was made on), and the hospital's own records change only through its feeds. The record keeps every version. Nothing was stored.`,
  );
}

/**
 * PUT AuditEvent/{id}: handed to the audit ingest (idempotent by id, checked against the device's
 * hash chain). Not versioned in the resource store.
 */
export async function uploadAuditEvent(ctx: FhirContext, tx: SqlDatabase, id: string, body: unknown, where = ''): Promise<FhirResponse> {
  const [response] = await uploadAuditEvents(ctx, tx, [{ id, body, where }]);
  return response!;
}

/**
 * A run of PUT AuditEvent/{id} in the caller's transaction: each checked as one PUT would be, then
 * handed to the audit ingest together (it reads what the chain checks need once for the run). The
 * first refusal is thrown.
 */
export async function uploadAuditEvents(
  ctx: FhirContext,
  tx: SqlDatabase,
  uploads: readonly { id: string; body: unknown; where?: string }[],
): Promise<FhirResponse[]> {
  const events = uploads.map(({ id, body, where = '' }) => auditEventToUpload(ctx, id, body, where));
  const principal = ctx.access.principal!;
  const results = await ctx.audit!.recordAuditEvents(tx, principal, events, stampToInstant(ctx.clock().getTime() * 1000));
  return results.map((result, index) => ({
    status: result.created ? 201 : 200,
    body: ctx.prefer === 'representation' ? JSON.stringify(events[index]) : null,
    headers: { location: `${ctx.baseUrl}/AuditEvent/${uploads[index]!.id}` },
  }));
}

function auditEventToUpload(ctx: FhirContext, id: string, body: unknown, where: string): AuditEvent {
  requireType('AuditEvent', 'update');
  requireId(id);
  const event = validatedBody(body, 'AuditEvent', where) as AuditEvent;
  if (event.id !== id)
    throw new FhirError(400, 'ID_MISMATCH', 'invalid', `${where}The AuditEvent's id must equal the id in the URL.`, 'AuditEvent.id');
  const principal = ctx.access.principal;
  if (!principal || !ctx.audit) {
    throw new FhirError(403, 'FORBIDDEN', 'forbidden', 'Audit events are uploaded by enrolled devices only.');
  }
  if (!principal.device.scope.write) {
    throw new FhirError(403, 'INSUFFICIENT_SCOPE', 'forbidden', 'This token was not granted system/*.write; it may only read.');
  }
  return event;
}
