// A version's content and index terms prepared from a validated resource before its version and
// time are known: the JSON text the store will hold, cut where `meta.versionId` and
// `meta.lastUpdated` go, and the terms indexTermsOf gives. Pure (no database), so it runs on any
// thread: the upstream mirror prepares a page's resources on a worker thread and the hub's thread
// only splices the version and the transaction's instant in (resource-store.ts). The text is the
// one the store's own path writes for the same resource (prepared-content.test.ts).
import type { Resource } from '../../../shared/fhir/index.js';
import { asciiText } from './ascii-json.js';
import type { DateSpan } from './clinical-terms.js';
import { indexTermsOf, wardRefsOf, type Token } from './index-terms.js';

export interface PreparedContent {
  readonly type: string;
  readonly id: string;
  /**
   * The version's JSON text with `meta.versionId` and `meta.lastUpdated` empty, `cut` just inside
   * the first: contentAt puts the version and the instant there.
   */
  readonly text: string;
  readonly cut: number;
  readonly patientId: string | null;
  readonly status: string | null;
  readonly careEnd: number | null;
  readonly date: DateSpan | null;
  readonly tokens: readonly Token[];
  /** The ward Locations this version places an Encounter at (those of the version it replaces are added when written). */
  readonly wardRefs: readonly string[];
}

const VERSION_KEY = '"versionId":"';
const BETWEEN = '","lastUpdated":"';

/**
 * The text when the members come in the usual order (resourceType, id, meta, …), as FHIR JSON is
 * written: one copy and one JSON.stringify, as the store's own path; null in any other order.
 */
function usualOrderText(resource: Resource, meta: Record<string, unknown>): { text: string; cut: number } | null {
  const metaJson = JSON.stringify(meta);
  const head =
    `{"resourceType":${JSON.stringify(resource.resourceType)},"id":${JSON.stringify(resource.id)},"meta":` +
    `${metaJson.slice(0, -1)}${metaJson.length > 2 ? ',' : ''}${VERSION_KEY}`;
  const json = JSON.stringify({ ...resource, meta: { ...meta, versionId: '', lastUpdated: '' } });
  // Read from the start, the same head can only be these three members.
  if (!json.startsWith(head) || !json.startsWith(BETWEEN, head.length)) return null;
  return { text: asciiText(json), cut: asciiText(head).length };
}

/** The members of `value` as JSON text without the braces ('' when none). */
function members(value: Record<string, unknown>): string {
  const json = JSON.stringify(value);
  return json.length <= 2 ? '' : json.slice(1, -1);
}

/** The text in any order of members: resourceType, id, the others as given, meta where it was (else last). */
function anyOrderText(resource: Resource, meta: Record<string, unknown>): { text: string; cut: number } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  let seenMeta = false;
  for (const key of Object.keys(resource)) {
    if (key === 'resourceType' || key === 'id') continue;
    if (key === 'meta') seenMeta = true;
    else (seenMeta ? after : before)[key] = (resource as unknown as Record<string, unknown>)[key];
  }
  const metaMembers = members(meta);
  const beforeMembers = members(before);
  const afterMembers = members(after);
  const head =
    `{"resourceType":${JSON.stringify(resource.resourceType)},"id":${JSON.stringify(resource.id)}` +
    `${beforeMembers === '' ? '' : `,${beforeMembers}`},"meta":{${metaMembers === '' ? '' : `${metaMembers},`}${VERSION_KEY}`;
  const tail = `${BETWEEN}"}${afterMembers === '' ? '' : `,${afterMembers}`}}`;
  const asciiHead = asciiText(head);
  return { text: asciiHead + asciiText(tail), cut: asciiHead.length };
}

/**
 * The prepared content of `resource` (validated, `id` set, no `meta.versionId` or
 * `meta.lastUpdated`: the store sets those). Members in the store's order: resourceType, id, the
 * others as given, `meta` where it was (else last) with versionId and lastUpdated at its end.
 */
export function prepareContent(resource: Resource): PreparedContent {
  const id = resource.id;
  if (!id) throw new Error('A resource reached the store without an id; this is a hub defect.');
  const meta = (resource.meta ?? {}) as Record<string, unknown>;
  if ('versionId' in meta || 'lastUpdated' in meta)
    throw new Error('Prepared content takes a resource without meta.versionId/lastUpdated.');
  const { text, cut } = usualOrderText(resource, meta) ?? anyOrderText(resource, meta);
  const terms = indexTermsOf(resource);
  return {
    type: resource.resourceType,
    id,
    text,
    cut,
    patientId: terms.patientId,
    status: terms.status,
    careEnd: terms.careEnd,
    date: terms.date,
    tokens: terms.tokens,
    wardRefs: wardRefsOf(resource),
  };
}

/** The JSON text of a prepared content at `version`, written at `instant`. */
export function contentAt(content: PreparedContent, version: number, instant: string): string {
  return `${content.text.slice(0, content.cut)}${version}${BETWEEN}${instant}${content.text.slice(content.cut + BETWEEN.length)}`;
}
