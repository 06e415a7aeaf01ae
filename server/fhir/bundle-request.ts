// Reads a transaction or batch Bundle: its type, its entries (at most MAX_BUNDLE_ENTRIES), and for
// each entry the method and the URL split into type, id, version and query.
import { MAX_BUNDLE_ENTRIES } from '../../shared/fhir/index.js';
import { FhirError } from './fhir-error.js';

export { MAX_BUNDLE_ENTRIES };

export type EntryMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface EntryTarget {
  readonly type: string;
  readonly id?: string;
  readonly operation?: string;
  readonly history?: boolean;
  readonly version?: string;
  readonly query: URLSearchParams;
}

export interface BundleRequestEntry {
  readonly index: number;
  readonly method: EntryMethod;
  readonly target: EntryTarget;
  readonly fullUrl?: string;
  readonly resource?: unknown;
  readonly ifNoneExist?: string;
  readonly ifMatch?: string;
}

export interface BundleRequest {
  readonly type: 'transaction' | 'batch';
  readonly entries: BundleRequestEntry[];
}

function invalid(message: string, expression?: string): FhirError {
  return new FhirError(400, 'INVALID_BUNDLE', 'invalid', message, expression);
}

/** `Observation`, `Observation/1`, `Observation?x=y`, `Observation/1/_history/2`, `Patient/1/$everything` (relative to /fhir). */
export function parseEntryUrl(url: string, baseUrl: string): EntryTarget | null {
  let relative = url;
  if (relative.startsWith(`${baseUrl}/`)) relative = relative.slice(baseUrl.length + 1);
  if (relative.startsWith('/')) relative = relative.slice(1);
  const [path = '', queryText = ''] = relative.split(/\?(.*)/s, 2);
  const query = new URLSearchParams(queryText);
  const parts = path.split('/');
  if (!parts[0] || !/^[A-Z][A-Za-z]{1,63}$/.test(parts[0])) return null;
  const type = parts[0];
  if (parts.length === 1) return { type, query };
  if (parts.length === 2 && parts[1] === '_history') return { type, history: true, query };
  const id = parts[1]!;
  if (parts.length === 2) return { type, id, query };
  if (parts.length === 3 && parts[2]!.startsWith('$')) return { type, id, operation: parts[2]!.slice(1), query };
  if (parts.length === 3 && parts[2] === '_history') return { type, id, history: true, query };
  if (parts.length === 4 && parts[2] === '_history') return { type, id, version: parts[3]!, query };
  return null;
}

export function parseBundleRequest(body: unknown, baseUrl: string): BundleRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FhirError(400, 'MALFORMED_JSON', 'structure', 'POST /fhir takes a Bundle of type transaction or batch.');
  }
  const bundle = body as { resourceType?: unknown; type?: unknown; entry?: unknown };
  if (bundle.resourceType !== 'Bundle') throw invalid('POST /fhir takes a Bundle of type transaction or batch.', 'Bundle.resourceType');
  if (bundle.type !== 'transaction' && bundle.type !== 'batch')
    throw invalid('The Bundle type must be transaction or batch.', 'Bundle.type');
  const rawEntries = bundle.entry ?? [];
  if (!Array.isArray(rawEntries)) throw invalid('Bundle.entry must be a list.', 'Bundle.entry');
  if (rawEntries.length > MAX_BUNDLE_ENTRIES) {
    throw new FhirError(
      413,
      'TOO_MANY_ENTRIES',
      'too-costly',
      `A Bundle may hold at most ${MAX_BUNDLE_ENTRIES} entries; split it and send the parts one after another.`,
      'Bundle.entry',
    );
  }
  const entries = rawEntries.map((raw: unknown, index): BundleRequestEntry => {
    const where = `Bundle.entry[${index}]`;
    if (typeof raw !== 'object' || raw === null) throw invalid(`${where} must be an object.`, where);
    const entry = raw as {
      fullUrl?: unknown;
      resource?: unknown;
      request?: { method?: unknown; url?: unknown; ifNoneExist?: unknown; ifMatch?: unknown };
    };
    const method = entry.request?.method;
    if (method !== 'GET' && method !== 'POST' && method !== 'PUT' && method !== 'DELETE') {
      throw invalid(`${where}.request.method must be GET, POST, PUT or DELETE.`, `${where}.request.method`);
    }
    if (typeof entry.request?.url !== 'string') throw invalid(`${where}.request.url is required.`, `${where}.request.url`);
    const target = parseEntryUrl(entry.request.url, baseUrl);
    if (!target) throw invalid(`${where}.request.url is not a FHIR URL the hub understands.`, `${where}.request.url`);
    if ((method === 'POST' || method === 'PUT') && entry.resource === undefined)
      throw invalid(`${where} needs a resource.`, `${where}.resource`);
    const optionalString = (value: unknown, name: string): string | undefined => {
      if (value === undefined) return undefined;
      if (typeof value !== 'string') throw invalid(`${where}.request.${name} must be a string.`, `${where}.request.${name}`);
      return value;
    };
    const ifNoneExist = optionalString(entry.request.ifNoneExist, 'ifNoneExist');
    const ifMatch = optionalString(entry.request.ifMatch, 'ifMatch');
    return {
      index,
      method,
      target,
      ...(typeof entry.fullUrl === 'string' ? { fullUrl: entry.fullUrl } : {}),
      ...(entry.resource === undefined ? {} : { resource: entry.resource }),
      ...(ifNoneExist === undefined ? {} : { ifNoneExist }),
      ...(ifMatch === undefined ? {} : { ifMatch }),
    };
  });
  return { type: bundle.type, entries };
}

/** Replaces every `reference` equal to a key of `map` (urn:uuid:… → Type/id), in place, deeply. */
export function rewriteReferences(value: unknown, map: ReadonlyMap<string, string>): void {
  if (Array.isArray(value)) {
    for (const item of value) rewriteReferences(item, map);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [key, member] of Object.entries(record)) {
    if (key === 'reference' && typeof member === 'string') {
      const replacement = map.get(member);
      if (replacement !== undefined) record[key] = replacement;
    } else {
      rewriteReferences(member, map);
    }
  }
}
