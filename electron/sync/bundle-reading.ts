// Reading the hub's Bundles: searchset (census, $everything, reference data) and history pages,
// into versions to apply (a resource, or the deletion of one) plus the page's hub time
// (Bundle.meta.lastUpdated) and its next link. Anything malformed is a HUB_ANSWER_INVALID.
import type { Resource } from '../../shared/fhir/index.js';
import { SyncError } from './sync-error.js';

export interface IncomingVersion {
  readonly type: string;
  readonly id: string;
  /** The hub's versionId as a number (0 when the hub gave none). */
  readonly version: number;
  /** The resource, or null for a deletion. */
  readonly resource: Resource | null;
  /** For search pages: 'match' or 'include'. */
  readonly mode: 'match' | 'include' | 'history';
}

export interface BundlePage {
  /** Bundle.meta.lastUpdated: the hub time this page is complete up to. */
  readonly lastUpdated: string;
  readonly next: string | null;
  readonly versions: IncomingVersion[];
  /** Number of entries. */
  readonly size: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(what: string): SyncError {
  return new SyncError(
    'HUB_ANSWER_INVALID',
    `The hub sent a Bundle this workstation cannot read (${what}). Ask IT to check that hub and workstation versions match.`,
  );
}

function versionNumber(text: unknown): number {
  if (typeof text !== 'string') return 0;
  const match = /^(?:W\/)?"?(\d{1,12})"?$/.exec(text.trim());
  return match ? Number(match[1]) : 0;
}

/** `Type/id` from a request URL or fullUrl (absolute or relative, optionally versioned). */
function typeAndId(url: unknown): { type: string; id: string } | null {
  if (typeof url !== 'string') return null;
  const path = url.split('?')[0]!.split('/');
  if (path.length >= 4 && path[path.length - 2] === '_history') path.length -= 2;
  const id = path[path.length - 1];
  const type = path[path.length - 2];
  if (!id || !type || !/^[A-Z][A-Za-z]+$/.test(type) || !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) return null;
  return { type, id };
}

function entryVersion(entry: unknown, history: boolean): IncomingVersion {
  if (!isObject(entry)) throw invalid('an entry is not an object');
  const request = isObject(entry.request) ? entry.request : undefined;
  const response = isObject(entry.response) ? entry.response : undefined;
  if (history && request?.method === 'DELETE') {
    const target = typeAndId(request.url) ?? typeAndId(entry.fullUrl);
    if (target === null) throw invalid('a deletion names no resource');
    return { ...target, version: versionNumber(response?.etag), resource: null, mode: 'history' };
  }
  const resource = entry.resource;
  if (!isObject(resource) || typeof resource.resourceType !== 'string' || typeof resource.id !== 'string') {
    throw invalid('an entry holds no resource with a type and an id');
  }
  const meta = isObject(resource.meta) ? resource.meta : {};
  const search = isObject(entry.search) ? entry.search : undefined;
  return {
    type: resource.resourceType,
    id: resource.id,
    version: versionNumber(meta.versionId) || versionNumber(response?.etag),
    resource: resource as unknown as Resource,
    mode: history ? 'history' : search?.mode === 'include' ? 'include' : 'match',
  };
}

export function readBundlePage(body: unknown, expected: 'searchset' | 'history'): BundlePage {
  if (!isObject(body) || body.resourceType !== 'Bundle') throw invalid('not a Bundle');
  if (body.type !== expected) throw invalid(`a ${String(body.type)} Bundle where a ${expected} was expected`);
  const meta = isObject(body.meta) ? body.meta : {};
  if (typeof meta.lastUpdated !== 'string' || Number.isNaN(Date.parse(meta.lastUpdated))) throw invalid('no meta.lastUpdated');
  const links = Array.isArray(body.link) ? body.link : [];
  const next = links.find((link): link is Json => isObject(link) && link.relation === 'next' && typeof link.url === 'string');
  const entries = Array.isArray(body.entry) ? body.entry : [];
  return {
    lastUpdated: meta.lastUpdated,
    next: next === undefined ? null : (next.url as string),
    versions: entries.map((entry) => entryVersion(entry, expected === 'history')),
    size: entries.length,
  };
}
