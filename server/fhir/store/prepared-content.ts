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
   * The version's JSON text without its version and instant: the text stored is
   * `text.slice(0, cut) + version + '","lastUpdated":"' + instant + text.slice(cut)`.
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

/** The members of `value` as JSON text without the braces ('' when none). */
function members(value: Record<string, unknown>): string {
  const json = JSON.stringify(value);
  return json.length <= 2 ? '' : json.slice(1, -1);
}

/** The members of `resource` but resourceType and id, before `meta` and after it (all before when it has none). */
function aroundMeta(resource: Resource): { before: Record<string, unknown>; after: Record<string, unknown> } {
  let first: string | undefined;
  for (const key in resource) {
    if (key !== 'resourceType' && key !== 'id') {
      first = key;
      break;
    }
  }
  if (first === 'meta') {
    // The usual order (resourceType, id, meta, …): one copy, as the store's own path makes.
    const { resourceType: _type, id: _id, meta: _meta, ...after } = resource as Resource & Record<string, unknown>;
    return { before: {}, after };
  }
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  let seenMeta = false;
  for (const key of Object.keys(resource)) {
    if (key === 'resourceType' || key === 'id') continue;
    if (key === 'meta') seenMeta = true;
    else (seenMeta ? after : before)[key] = (resource as unknown as Record<string, unknown>)[key];
  }
  return { before, after };
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
  const { before, after } = aroundMeta(resource);
  const resourceType = resource.resourceType;
  const metaMembers = members(meta);
  const beforeMembers = members(before);
  const afterMembers = members(after);
  const head =
    `{"resourceType":${JSON.stringify(resourceType)},"id":${JSON.stringify(id)}` +
    `${beforeMembers === '' ? '' : `,${beforeMembers}`},"meta":{${metaMembers === '' ? '' : `${metaMembers},`}${VERSION_KEY}`;
  const tail = `"}${afterMembers === '' ? '' : `,${afterMembers}`}}`;
  const terms = indexTermsOf(resource);
  const asciiHead = asciiText(head);
  return {
    type: resourceType,
    id,
    text: asciiHead + asciiText(tail),
    cut: asciiHead.length,
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
  return `${content.text.slice(0, content.cut)}${version}${BETWEEN}${instant}${content.text.slice(content.cut)}`;
}
