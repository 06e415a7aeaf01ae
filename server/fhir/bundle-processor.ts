// POST /fhir: transaction Bundles (all or nothing, in one database transaction: urn:uuid fullUrls
// become ids and references are rewritten, conditional references `Type?query` are resolved (one
// match, else 412); DELETE, then POST, then PUT, then GET) and batch Bundles
// (each entry on its own; AuditEvent PUTs go to the audit ingest and the answer carries the highest
// contiguous audit sequence the hub holds for the device).
import { randomUUID } from 'node:crypto';
import { AUDIT_CHAIN_STATUS_EXTENSION_URL } from '../../shared/auth/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { bundleJson, type JsonChunk } from './bundle-json.js';
import { resolveConditionalReferences } from './conditional-references.js';
import { parseBundleRequest, rewriteReferences, type BundleRequestEntry } from './bundle-request.js';
import { FhirError, isLoggedRefusal, outcomeOf } from './fhir-error.js';
import type { FhirContext, FhirResponse } from './fhir-context.js';
import { history, patientEverything, readResource, searchType, vreadResource } from './interactions-read.js';
import {
  conditionalMatches,
  createResource,
  deleteResource,
  finishWrites,
  updateResource,
  uploadAuditEvent,
  uploadAuditEvents,
  writeContext,
} from './interactions-write.js';
import { beginWrite, endWrite, readWatermark, stampToInstant, watermarkInstant, type WriteSession } from './store/index.js';
import { errorToFhir } from './error-mapping.js';

const STATUS_TEXT: Readonly<Record<number, string>> = { 200: '200 OK', 201: '201 Created', 204: '204 No Content' };

function responseEntry(response: FhirResponse, includeBody: boolean): JsonChunk[] {
  const parts = [`"status":${JSON.stringify(STATUS_TEXT[response.status] ?? String(response.status))}`];
  const location = response.headers.location;
  if (location) parts.push(`"location":${JSON.stringify(location)}`);
  if (response.headers.etag) parts.push(`"etag":${JSON.stringify(response.headers.etag)}`);
  const lastModified = response.headers['last-modified'];
  if (lastModified) parts.push(`"lastModified":${JSON.stringify(new Date(lastModified).toISOString())}`);
  if (!includeBody || response.body === null) return [`{"response":{${parts.join(',')}}}`];
  if (response.status >= 400) return [`{"response":{${parts.join(',')},"outcome":`, response.body, '}}'];
  return ['{"resource":', response.body, `,"response":{${parts.join(',')}}}`];
}

async function readEntry(ctx: FhirContext, entry: BundleRequestEntry): Promise<FhirResponse> {
  const { target } = entry;
  if (target.operation === 'everything' && target.type === 'Patient' && target.id) return patientEverything(ctx, target.id, target.query);
  if (target.operation !== undefined)
    throw new FhirError(400, 'INVALID_BUNDLE', 'not-supported', `Bundle.entry[${entry.index}]: only $everything is supported.`);
  if (target.history) return history(ctx, { type: target.type, ...(target.id ? { id: target.id } : {}) }, target.query);
  if (target.version !== undefined && target.id) return vreadResource(ctx, target.type, target.id, target.version);
  if (target.id) return readResource(ctx, target.type, target.id);
  return searchType(ctx, target.type, target.query);
}

async function writeEntry(
  ctx: FhirContext,
  tx: SqlDatabase,
  session: WriteSession,
  entry: BundleRequestEntry,
  assignedId?: string,
): Promise<FhirResponse> {
  const where = `Bundle.entry[${entry.index}]: `;
  const { target } = entry;
  if (target.history || target.version !== undefined || target.operation !== undefined) {
    throw new FhirError(400, 'INVALID_BUNDLE', 'invalid', `${where}this URL cannot be written to.`);
  }
  switch (entry.method) {
    case 'POST':
      if (target.id)
        throw new FhirError(400, 'INVALID_BUNDLE', 'invalid', `${where}POST goes to the type (e.g. "Observation"), not to an id.`);
      return (
        await createResource(ctx, tx, session, target.type, entry.resource, {
          where,
          ...(entry.ifNoneExist === undefined ? {} : { ifNoneExist: entry.ifNoneExist }),
          ...(assignedId === undefined ? {} : { assignedId }),
        })
      ).response;
    case 'PUT':
      if (!target.id)
        throw new FhirError(400, 'INVALID_BUNDLE', 'invalid', `${where}PUT needs an id (conditional update is not supported).`);
      if (target.type === 'AuditEvent') return uploadAuditEvent(ctx, tx, target.id, entry.resource, where);
      return (
        await updateResource(ctx, tx, session, target.type, target.id, entry.resource, {
          where,
          ...(entry.ifMatch === undefined ? {} : { ifMatch: entry.ifMatch }),
        })
      ).response;
    case 'DELETE':
      if (!target.id)
        throw new FhirError(400, 'INVALID_BUNDLE', 'invalid', `${where}DELETE needs an id (conditional delete is not supported).`);
      return deleteResource(target.type, target.id, { where });
    default:
      throw new FhirError(400, 'INVALID_BUNDLE', 'invalid', `${where}unsupported method.`);
  }
}

const ORDER: Readonly<Record<string, number>> = { DELETE: 0, POST: 1, PUT: 2, GET: 3 };

async function processTransaction(ctx: FhirContext, requestEntries: readonly BundleRequestEntry[]): Promise<FhirResponse> {
  const entries = requestEntries;
  const targets = new Set<string>();
  for (const entry of entries) {
    if (entry.method === 'GET' || !entry.target.id) continue;
    const key = `${entry.target.type}/${entry.target.id}`;
    if (targets.has(key))
      throw new FhirError(
        400,
        'INVALID_BUNDLE',
        'invalid',
        `Bundle.entry[${entry.index}]: ${entry.target.type} ${entry.target.id} appears twice in this transaction.`,
      );
    targets.add(key);
  }
  if (entries.some((entry) => entry.target.type === 'AuditEvent')) {
    throw new FhirError(400, 'INVALID_BUNDLE', 'invalid', 'Audit events are uploaded in batch Bundles, not transactions.');
  }
  const { responses, stamp } = await ctx.db.transaction(async (tx) => {
    // A fresh copy per attempt: PostgreSQL may run this work again after a serialization failure.
    const entries = requestEntries.map((entry) =>
      entry.resource === undefined ? entry : { ...entry, resource: structuredClone(entry.resource) },
    );
    const session = await beginWrite(tx, ctx.clock());
    const txCtx: FhirContext = writeContext(ctx, tx);
    // Ids for created resources first (a conditional create that matches keeps the existing id),
    // then urn:uuid references everywhere point at them.
    const urnMap = new Map<string, string>();
    const assigned = new Map<number, string>();
    for (const entry of entries) {
      if (entry.method !== 'POST') continue;
      let id: string = randomUUID();
      if (entry.ifNoneExist !== undefined) {
        const matches = await conditionalMatches(tx, ctx.access, entry.target.type, entry.ifNoneExist, ctx.clock());
        if (matches[0] && matches.length === 1) id = matches[0].id;
      }
      assigned.set(entry.index, id);
      if (entry.fullUrl?.startsWith('urn:uuid:')) urnMap.set(entry.fullUrl, `${entry.target.type}/${id}`);
    }
    if (urnMap.size) for (const entry of entries) rewriteReferences(entry.resource, urnMap);
    await resolveConditionalReferences(tx, ctx.access, entries);
    const results = new Map<number, FhirResponse>();
    const ordered = [...entries].sort((a, b) => ORDER[a.method]! - ORDER[b.method]! || a.index - b.index);
    for (const entry of ordered) {
      try {
        results.set(
          entry.index,
          entry.method === 'GET' ? await readEntry(txCtx, entry) : await writeEntry(txCtx, tx, session, entry, assigned.get(entry.index)),
        );
      } catch (error) {
        const fhirError = errorToFhir(error);
        if (!fhirError) throw error;
        throw new FhirError(
          fhirError.status,
          fhirError.code,
          fhirError.issueType,
          `The transaction was not applied. ${fhirError.message.startsWith('Bundle.entry') ? '' : `Bundle.entry[${entry.index}]: `}${fhirError.message}`,
          fhirError.expression,
          fhirError.currentVersion,
        );
      }
    }
    // The transaction is judged as a whole, on its final state: entry order never matters.
    try {
      await finishWrites(txCtx, tx, session);
    } catch (error) {
      const fhirError = errorToFhir(error);
      if (!fhirError) throw error;
      throw new FhirError(
        fhirError.status,
        fhirError.code,
        fhirError.issueType,
        `The transaction was not applied. ${fhirError.message}`,
        fhirError.expression,
      );
    }
    await endWrite(tx, session);
    return { responses: entries.map((entry) => results.get(entry.index)!), stamp: session.stamp };
  });
  const body = bundleJson({
    type: 'transaction-response',
    lastUpdated: stampToInstant(stamp),
    entries: responses.map((response) => responseEntry(response, ctx.prefer !== 'minimal')),
  });
  return { status: 200, body, headers: {} };
}

async function processBatchEntry(ctx: FhirContext, entry: BundleRequestEntry): Promise<FhirResponse> {
  if (entry.method === 'GET') return readEntry(ctx, entry);
  if (entry.method === 'PUT' && entry.target.type === 'AuditEvent' && entry.target.id) {
    const id = entry.target.id;
    return ctx.db.transaction((tx) => uploadAuditEvent({ ...ctx, db: tx }, tx, id, entry.resource, `Bundle.entry[${entry.index}]: `));
  }
  return ctx.db.transaction(async (tx) => {
    const session = await beginWrite(tx, ctx.clock());
    const txCtx = writeContext(ctx, tx);
    const response = await writeEntry(txCtx, tx, session, entry);
    await finishWrites(txCtx, tx, session);
    await endWrite(tx, session);
    return response;
  });
}

function isAuditUpload(entry: BundleRequestEntry): boolean {
  return entry.method === 'PUT' && entry.target.type === 'AuditEvent' && Boolean(entry.target.id);
}

/** One batch entry on its own: its answer, or the OperationOutcome of its refusal. */
async function batchEntryResponse(ctx: FhirContext, entry: BundleRequestEntry): Promise<JsonChunk[]> {
  try {
    return responseEntry(await processBatchEntry(ctx, entry), ctx.prefer !== 'minimal' || entry.method === 'GET');
  } catch (error) {
    const fhirError = errorToFhir(error);
    if (!fhirError) throw error;
    if (isLoggedRefusal(fhirError)) ctx.access.onRefused?.(fhirError);
    const outcome = JSON.stringify(outcomeOf(fhirError));
    return [`{"response":{"status":${JSON.stringify(String(fhirError.status))},"outcome":${outcome}}}`];
  }
}

/**
 * A run of AuditEvent uploads in one transaction (a workstation sends hundreds at a time, and a
 * commit per entry is the hub's largest cost). Batch entries stand alone, so when any of them is
 * refused the transaction is rolled back and the run is taken entry by entry instead.
 */
async function auditRunResponses(ctx: FhirContext, run: readonly BundleRequestEntry[]): Promise<JsonChunk[][]> {
  if (run.length === 1) return [await batchEntryResponse(ctx, run[0]!)];
  try {
    const answers = await ctx.db.transaction((tx) =>
      uploadAuditEvents(
        { ...ctx, db: tx },
        tx,
        run.map((entry) => ({ id: entry.target.id!, body: entry.resource, where: `Bundle.entry[${entry.index}]: ` })),
      ),
    );
    return answers.map((answer) => responseEntry(answer, ctx.prefer !== 'minimal'));
  } catch (error) {
    if (!errorToFhir(error)) throw error;
    const responses: JsonChunk[][] = [];
    for (const entry of run) responses.push(await batchEntryResponse(ctx, entry));
    return responses;
  }
}

async function processBatch(ctx: FhirContext, entries: readonly BundleRequestEntry[]): Promise<FhirResponse> {
  const responses: JsonChunk[][] = [];
  for (let i = 0; i < entries.length;) {
    if (isAuditUpload(entries[i]!)) {
      let end = i;
      while (end < entries.length && isAuditUpload(entries[end]!)) end += 1;
      responses.push(...(await auditRunResponses(ctx, entries.slice(i, end))));
      i = end;
    } else {
      responses.push(await batchEntryResponse(ctx, entries[i]!));
      i += 1;
    }
  }
  const extra: Record<string, string> = {};
  const principal = ctx.access.principal;
  if (principal && ctx.audit && entries.some((entry) => entry.target.type === 'AuditEvent')) {
    const status = await ctx.audit.auditChainStatus(ctx.db, principal.device.deviceId);
    extra.extension = JSON.stringify([{ url: AUDIT_CHAIN_STATUS_EXTENSION_URL, valueInteger: status.highestContiguousSequence }]);
  }
  const watermark = await readWatermark(ctx.db);
  return {
    status: 200,
    body: bundleJson({ type: 'batch-response', lastUpdated: watermarkInstant(watermark), entries: responses, extra }),
    headers: {},
  };
}

export async function processBundle(ctx: FhirContext, body: unknown): Promise<FhirResponse> {
  const request = parseBundleRequest(body, ctx.baseUrl);
  return request.type === 'transaction' ? processTransaction(ctx, request.entries) : processBatch(ctx, request.entries);
}
