// Reading the hub's Bundles: searchset (census, $everything, reference data) and history pages,
// into versions to apply (a resource, or the deletion of one) plus the page's hub time
// (Bundle.meta.lastUpdated) and its next link. A page that is not JSON (cut off) is a
// HUB_ANSWER_INVALID (retried); JSON of the wrong shape is a HUB_ANSWER_MALFORMED (sync stops, says
// so, and tries again later: sending the same request again at once would get the same answer).
// `readBundleText` reads a page from its bytes one entry at a time (json-members.ts): each entry is
// decoded and parsed, handed on with its resource's own JSON (its bytes in the page), and dropped
// before the next, so a large page never exists as one string or one tree of objects.
import type { Resource } from '../../shared/fhir/index.js';
import { forEachElement, forEachMember, JsonShapeError, parseRange, skipSpace } from './json-members.js';
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
    'HUB_ANSWER_MALFORMED',
    `The hub sent a Bundle this workstation cannot read (${what}). Ask IT to check that hub and workstation versions match.`,
  );
}

/** A page that is not JSON at all (cut off, garbled on the way): worth asking for again. */
function notJson(detail: string, cause?: unknown): SyncError {
  return new SyncError(
    'HUB_ANSWER_INVALID',
    `The hub sent a page that is not valid JSON (${detail}; it may have been cut off). Sync retries by itself.`,
    cause === undefined ? {} : { cause },
  );
}

function isJson(text: Buffer): boolean {
  try {
    JSON.parse(text.toString('utf8'));
    return true;
  } catch {
    return false;
  }
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

/** The page's hub time and next link, from the Bundle without its entries. */
function pageHead(body: unknown, expected: 'searchset' | 'history'): { lastUpdated: string; next: string | null } {
  if (!isObject(body) || body.resourceType !== 'Bundle') throw invalid('not a Bundle');
  if (body.type !== expected) throw invalid(`a ${String(body.type)} Bundle where a ${expected} was expected`);
  const meta = isObject(body.meta) ? body.meta : {};
  if (typeof meta.lastUpdated !== 'string' || Number.isNaN(Date.parse(meta.lastUpdated))) throw invalid('no meta.lastUpdated');
  const links = Array.isArray(body.link) ? body.link : [];
  const next = links.find((link): link is Json => isObject(link) && link.relation === 'next' && typeof link.url === 'string');
  return { lastUpdated: meta.lastUpdated, next: next === undefined ? null : (next.url as string) };
}

export function readBundlePage(body: unknown, expected: 'searchset' | 'history'): BundlePage {
  const head = pageHead(body, expected);
  const entries = isObject(body) && Array.isArray(body.entry) ? body.entry : [];
  return { ...head, versions: entries.map((entry) => entryVersion(entry, expected === 'history')), size: entries.length };
}

/** A page read by readBundleText: what `onEntry` made of each entry, in order. */
export interface BundleTextPage<T> {
  readonly lastUpdated: string;
  readonly next: string | null;
  readonly items: T[];
  /** Number of entries. */
  readonly size: number;
}

/**
 * Reads a Bundle page from its JSON text one entry at a time, as readBundlePage does from parsed
 * JSON: `onEntry` gets each entry's version and its resource's JSON exactly as the hub sent it
 * (null for a deletion), which parses to `version.resource`: its UTF-8 bytes, a view into the page
 * (no copy). Kept instead of the decoded text, they stay outside the JavaScript heap until written,
 * where the garbage collector would copy a text from one space to the next while it waits.
 */
export function readBundleText<T>(
  body: Buffer | string,
  expected: 'searchset' | 'history',
  onEntry: (version: IncomingVersion, resourceJson: Buffer | null) => T,
): BundleTextPage<T> {
  const text = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  // No prototype: a member named __proto__ is a member like any other (as JSON.parse makes it).
  const head = Object.create(null) as Json;
  const items: T[] = [];
  const history = expected === 'history';
  try {
    const start = skipSpace(text, 0);
    if (text[start] !== 0x7b) throw isJson(text) ? invalid('not a Bundle') : notJson('it does not start as an object');
    const end = forEachMember(text, start, (key, valueStart, valueEnd) => {
      if (key !== 'entry') {
        head[key] = parseRange(text, valueStart, valueEnd);
        return;
      }
      if (text[valueStart] !== 0x5b) {
        parseRange(text, valueStart, valueEnd);
        return;
      }
      forEachElement(text, valueStart, (entryStart) => {
        if (text[entryStart] !== 0x7b) throw invalid('an entry is not an object');
        const entry = Object.create(null) as Json;
        let resourceStart = 0;
        let resourceEnd = 0;
        const entryEnd = forEachMember(text, entryStart, (member, memberStart, memberEnd) => {
          entry[member] = parseRange(text, memberStart, memberEnd);
          if (member !== 'resource') return;
          resourceStart = memberStart;
          resourceEnd = memberEnd;
        });
        const version = entryVersion(entry, history);
        items.push(onEntry(version, version.resource === null ? null : text.subarray(resourceStart, resourceEnd)));
        return entryEnd;
      });
    });
    if (skipSpace(text, end) !== text.length) throw notJson('text after the Bundle');
  } catch (error) {
    if (error instanceof JsonShapeError) throw notJson(error.message, error);
    throw error;
  }
  return { ...pageHead(head, expected), items, size: items.length };
}
