// Bundles are written around the stored resource JSON without parsing it again: the store already
// holds each resource exactly as it is served. Pieces are strings or UTF-8 bytes (bulk reads), and
// the Bundle is assembled once, as bytes.
import { randomUUID } from 'node:crypto';
import { stampToInstant, type EntryFrame, type StoredResource } from './store/index.js';

/** Part of a JSON document: text, or its UTF-8 bytes. */
export type JsonChunk = string | Buffer;

export interface BundleLink {
  readonly relation: 'self' | 'next';
  readonly url: string;
}

export interface BundleParts {
  readonly type: 'searchset' | 'history' | 'transaction-response' | 'batch-response';
  /** Bundle.meta.lastUpdated: the hub time the response is complete up to. */
  readonly lastUpdated: string;
  readonly links?: readonly BundleLink[];
  /** Each entry as JSON, in one or more chunks. */
  readonly entries: readonly (readonly JsonChunk[])[];
  /** Entries already joined by commas (a page the database assembled), before `entries`. */
  readonly joinedEntries?: JsonChunk | null;
  readonly total?: number;
  /** Extra top-level members (e.g. an extension), as JSON text keyed by member name. */
  readonly extra?: Readonly<Record<string, string>>;
}

export function bundleJson(parts: BundleParts): Buffer {
  const head = [
    '"resourceType":"Bundle"',
    `"id":"${randomUUID()}"`,
    `"meta":{"lastUpdated":${JSON.stringify(parts.lastUpdated)}}`,
    `"type":"${parts.type}"`,
  ];
  for (const [member, json] of Object.entries(parts.extra ?? {})) head.push(`${JSON.stringify(member)}:${json}`);
  if (parts.total !== undefined) head.push(`"total":${parts.total}`);
  if (parts.links?.length) head.push(`"link":${JSON.stringify(parts.links)}`);
  const joined = parts.joinedEntries?.length ? parts.joinedEntries : null;
  if (parts.entries.length === 0 && joined === null) return Buffer.from(`{${head.join(',')}}`);
  const chunks: Buffer[] = [Buffer.from(`{${head.join(',')},"entry":[`)];
  if (joined !== null) chunks.push(typeof joined === 'string' ? Buffer.from(joined) : joined);
  parts.entries.forEach((entry, index) => {
    if (index > 0 || joined !== null) chunks.push(COMMA);
    for (const chunk of entry) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  });
  chunks.push(CLOSE);
  return Buffer.concat(chunks);
}

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

export function fullUrlOf(baseUrl: string, type: string, id: string): string {
  return `${baseUrl}/${type}/${id}`;
}

/**
 * A search entry's JSON around its resource (fullUrl, resource, search.mode), for the store to
 * splice stored resources into. The base URL is JSON-escaped here; types and ids need no escaping.
 * With mode null the entry has no `search` (Patient/$everything: every entry is a match, and a
 * reader takes an entry without a mode as one), 26 bytes less per resource.
 */
export function searchEntryFrame(baseUrl: string, mode: 'match' | 'include' | null): EntryFrame {
  const base = JSON.stringify(`${baseUrl}/`);
  return { head: `{"fullUrl":${base.slice(0, -1)}`, beforeResource: '","resource":', tail: mode ? `,"search":{"mode":"${mode}"}}` : '}' };
}

export function searchEntry(baseUrl: string, stored: StoredResource, mode: 'match' | 'include'): JsonChunk[] {
  const frame = searchEntryFrame(baseUrl, mode);
  return [`${frame.head}${stored.type}/${stored.id}${frame.beforeResource}`, stored.content ?? 'null', frame.tail];
}

export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** A history entry: the version, and how it came to be (POST for version 1, PUT, or DELETE). */
export function historyEntry(baseUrl: string, stored: StoredResource): JsonChunk[] {
  const url = `${stored.type}/${stored.id}`;
  const response = `"response":{"status":"${stored.deleted ? '204 No Content' : stored.version === 1 ? '201 Created' : '200 OK'}","etag":${JSON.stringify(etagOf(stored.version))},"lastModified":"${stampToInstant(stored.lastUpdated)}"}`;
  const fullUrl = `"fullUrl":${JSON.stringify(fullUrlOf(baseUrl, stored.type, stored.id))}`;
  if (stored.deleted || stored.content === null)
    return [`{${fullUrl},"request":{"method":"DELETE","url":${JSON.stringify(url)}},${response}}`];
  const request =
    stored.version === 1 ? `{"method":"POST","url":${JSON.stringify(stored.type)}}` : `{"method":"PUT","url":${JSON.stringify(url)}}`;
  return [`{${fullUrl},"resource":`, stored.content, `,"request":${request},${response}}`];
}
