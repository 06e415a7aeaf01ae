// One page of an upstream chart search, read for the mirror: the Bundle parsed, its `match` entries
// each made into the hub's form (hubFormOf: the upstream id and version in meta.source, the security
// labels kept, the ward placement, the MRN and visit numbers), validated, and when valid prepared
// for the store (its JSON text and index terms, prepareContent); plus what the mirror's decisions
// need of it (type, id, patient, where its care ends, the upstream's lastUpdated). Pure: it runs on
// the page worker's thread (page-worker.ts) and its result is plain columns of numbers and strings,
// cheap to hand to the hub's thread (a parsed resource costs more to copy between threads than to
// parse again). The strings that recur in a page (types, patients, statuses, codes, systems) go
// once, in a table. Nothing here needs the database: every decision that does (a stored version,
// an echo of the hub's own documentation, a merge) stays on the hub's thread (chart-mirror.ts).
import {
  careWindowEndMs,
  FhirValidationError,
  patientIdOf,
  validateResource,
  type Bundle,
  type Resource,
} from '../../../shared/fhir/index.js';
import { prepareContent, PreparedResource, type PreparedContent } from '../../fhir/index.js';
import { parseJson } from './smart-token.js';
import type { UpstreamVisitSystem, UpstreamWard } from './upstream-config.js';
import { hubFormOf } from './upstream-resource.js';

/** What the hub form depends on (the mirror's configuration). */
export interface PageSettings {
  readonly baseUrl: string;
  readonly wards: readonly UpstreamWard[];
  readonly mrnSystem?: string;
  readonly visitSystems: readonly UpstreamVisitSystem[];
}

/** Entry kinds: the hub keeps no such resource (hubFormOf gave null), a valid one, one validation refused. */
const NOT_KEPT = 0;
const VALID = 1;
const INVALID = 2;

/** A page as columns, index by entry; string columns of `Int32Array` are indexes into `strings` (-1: none). */
export interface PageColumns {
  /** Set when the body is not a search Bundle. */
  readonly notBundle: boolean;
  readonly next: string | undefined;
  readonly count: number;
  readonly strings: string[];
  readonly type: Int32Array;
  readonly ids: string[];
  /** The upstream's meta.lastUpdated, parsed (NaN when absent or unreadable). */
  readonly lastUpdatedMs: Float64Array;
  readonly kind: Uint8Array;
  /** The upstream version named in the hub form's meta.source. */
  readonly sourceVersion: Int32Array;
  readonly patient: Int32Array;
  /** careWindowEndMs of the hub form. */
  readonly windowEnd: Float64Array;
  /** VALID: the prepared text; INVALID: the hub form's JSON. */
  readonly texts: string[];
  readonly cuts: Int32Array;
  readonly invalidPath: Int32Array;
  readonly status: Int32Array;
  /** NaN: null. */
  readonly careEnd: Float64Array;
  /** NaN: no date span. */
  readonly dateStart: Float64Array;
  readonly dateEnd: Float64Array;
  /** Each entry's tokens: `tokenStart[i]`…`tokenStart[i + 1]` (exclusive) triples of (param, system, value) in `tokens`. */
  readonly tokenStart: Int32Array;
  readonly tokens: Int32Array;
  /** Each entry's ward references: `wardStart[i]`…`wardStart[i + 1]` in `wardRefs`. */
  readonly wardStart: Int32Array;
  readonly wardRefs: Int32Array;
}

class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  of(value: string | null | undefined): number {
    if (value === null || value === undefined) return -1;
    let at = this.index.get(value);
    if (at === undefined) {
      at = this.strings.length;
      this.strings.push(value);
      this.index.set(value, at);
    }
    return at;
  }
}

/** The page's `match` entries (all when the server does not mark them), as the mirror's client takes them. */
export function bundleResources(bundle: Bundle): Resource[] {
  const resources: Resource[] = [];
  for (const entry of bundle.entry ?? []) {
    if (entry.search?.mode !== undefined && entry.search.mode !== 'match') continue;
    const resource = entry.resource;
    if (typeof resource === 'object' && resource !== null && 'resourceType' in resource) resources.push(resource);
  }
  return resources;
}

/** The upstream resources of a page body (for the rare decision that needs them as the EHR sent them). */
export function pageResources(body: Uint8Array): Resource[] {
  const bundle = parseJson(Buffer.from(body.buffer, body.byteOffset, body.byteLength)) as Bundle | null;
  return bundle?.resourceType === 'Bundle' ? bundleResources(bundle) : [];
}

/**
 * Reads a search page's body into columns (see the file's header); `parsed` hears the `next` link
 * (or that the body is no Bundle) as soon as the body is parsed, before the entries are read.
 */
export function readUpstreamPage(
  body: Uint8Array,
  settings: PageSettings,
  parsed?: (next: string | undefined, notBundle: boolean) => void,
): PageColumns {
  const bundle = parseJson(Buffer.from(body.buffer, body.byteOffset, body.byteLength)) as Bundle | null;
  const isBundle = bundle?.resourceType === 'Bundle';
  const next = isBundle ? bundle.link?.find((link) => link.relation === 'next')?.url : undefined;
  parsed?.(next, !isBundle);
  const resources = isBundle ? bundleResources(bundle) : [];
  const count = resources.length;
  const table = new StringTable();
  const columns = {
    notBundle: !isBundle,
    next,
    count,
    strings: table.strings,
    type: new Int32Array(count),
    ids: new Array<string>(count),
    lastUpdatedMs: new Float64Array(count),
    kind: new Uint8Array(count),
    sourceVersion: new Int32Array(count).fill(-1),
    patient: new Int32Array(count).fill(-1),
    windowEnd: new Float64Array(count),
    texts: new Array<string>(count).fill(''),
    cuts: new Int32Array(count),
    invalidPath: new Int32Array(count).fill(-1),
    status: new Int32Array(count).fill(-1),
    careEnd: new Float64Array(count).fill(Number.NaN),
    dateStart: new Float64Array(count).fill(Number.NaN),
    dateEnd: new Float64Array(count).fill(Number.NaN),
    tokenStart: new Int32Array(count + 1),
    tokens: [] as number[],
    wardStart: new Int32Array(count + 1),
    wardRefs: [] as number[],
  };
  for (let i = 0; i < count; i++) {
    const resource = resources[i]!;
    columns.type[i] = table.of(`${resource.resourceType}`);
    columns.ids[i] = `${resource.id ?? ''}`;
    columns.lastUpdatedMs[i] = Date.parse(resource.meta?.lastUpdated ?? '');
    columns.tokenStart[i] = columns.tokens.length;
    columns.wardStart[i] = columns.wardRefs.length;
    const hubForm = hubFormOf(resource, settings.baseUrl, settings.wards, settings.mrnSystem, settings.visitSystems);
    if (hubForm === null) continue;
    columns.sourceVersion[i] = table.of(`${resource.meta?.versionId ?? resource.meta?.lastUpdated ?? '0'}`);
    columns.patient[i] = table.of(patientIdOf(hubForm));
    columns.windowEnd[i] = careWindowEndMs(hubForm);
    try {
      validateResource(hubForm);
    } catch (error) {
      if (!(error instanceof FhirValidationError)) throw error;
      columns.kind[i] = INVALID;
      columns.invalidPath[i] = table.of(error.path);
      columns.texts[i] = JSON.stringify(hubForm);
      continue;
    }
    const content = prepareContent(hubForm);
    columns.kind[i] = VALID;
    columns.texts[i] = content.text;
    columns.cuts[i] = content.cut;
    columns.status[i] = table.of(content.status);
    if (content.careEnd !== null) columns.careEnd[i] = content.careEnd;
    if (content.date !== null) {
      columns.dateStart[i] = content.date.start;
      columns.dateEnd[i] = content.date.end;
    }
    for (const token of content.tokens) columns.tokens.push(table.of(token.param), table.of(token.system), table.of(token.value));
    for (const ref of content.wardRefs) columns.wardRefs.push(table.of(ref));
  }
  columns.tokenStart[count] = columns.tokens.length;
  columns.wardStart[count] = columns.wardRefs.length;
  return { ...columns, tokens: Int32Array.from(columns.tokens), wardRefs: Int32Array.from(columns.wardRefs) };
}

/** An upstream resource of a page, prepared, as the store's external write takes it; with its meta.source. */
export class UpstreamResource extends PreparedResource {
  constructor(
    resourceType: string,
    id: string,
    content: PreparedContent | null,
    invalidPath: string | null,
    resource: () => Resource,
    /** The hub form's meta.source (the upstream id and version). */
    readonly source: string,
  ) {
    super(resourceType, id, content, invalidPath, resource);
  }
}

/** A page read (its columns) with its body, on the hub's thread: what the mirror's decisions read of each entry. */
export class UpstreamPage {
  constructor(
    readonly columns: PageColumns,
    /** The body as the upstream sent it (for the EHR's own copy of a resource, when a decision needs it). */
    readonly body: Uint8Array,
  ) {}

  get size(): number {
    return this.columns.count;
  }

  type(i: number): string {
    return this.columns.strings[this.columns.type[i]!]!;
  }

  id(i: number): string {
    return this.columns.ids[i]!;
  }

  /** `Type/id`, as the mirror keys an upstream resource. */
  key(i: number): string {
    return `${this.type(i)}/${this.id(i)}`;
  }

  lastUpdatedMs(i: number): number {
    return this.columns.lastUpdatedMs[i]!;
  }

  /** The hub keeps this kind of resource (it has a hub form). */
  isKept(i: number): boolean {
    return this.columns.kind[i] !== NOT_KEPT;
  }

  patientId(i: number): string | undefined {
    const at = this.columns.patient[i]!;
    return at < 0 ? undefined : this.columns.strings[at];
  }

  /** isInCareWindow of the hub form for a window starting at `startMs`. */
  isInCareWindow(i: number, startMs: number): boolean {
    return this.columns.windowEnd[i]! >= startMs;
  }

  /** The hub form, prepared (only for an entry the hub keeps). */
  resource(i: number, baseUrl: string): UpstreamResource {
    const c = this.columns;
    const type = this.type(i);
    const id = this.id(i);
    const text = c.texts[i]!;
    const source = `${baseUrl}/${type}/${id}/_history/${c.strings[c.sourceVersion[i]!]!}`;
    if (c.kind[i] === INVALID) {
      return new UpstreamResource(type, id, null, c.strings[c.invalidPath[i]!]!, () => JSON.parse(text) as Resource, source);
    }
    const string = (at: number): string | null => (at < 0 ? null : c.strings[at]!);
    const tokens: { param: string; system: string; value: string }[] = [];
    for (let t = c.tokenStart[i]!; t < c.tokenStart[i + 1]!; t += 3) {
      tokens.push({ param: c.strings[c.tokens[t]!]!, system: c.strings[c.tokens[t + 1]!]!, value: c.strings[c.tokens[t + 2]!]! });
    }
    const wardRefs: string[] = [];
    for (let w = c.wardStart[i]!; w < c.wardStart[i + 1]!; w++) wardRefs.push(c.strings[c.wardRefs[w]!]!);
    const careEnd = c.careEnd[i]!;
    const content: PreparedContent = {
      type,
      id,
      text,
      cut: c.cuts[i]!,
      patientId: this.patientId(i) ?? null,
      status: string(c.status[i]!),
      careEnd: Number.isNaN(careEnd) ? null : careEnd,
      date: Number.isNaN(c.dateStart[i]!) ? null : { start: c.dateStart[i]!, end: c.dateEnd[i]! },
      tokens,
      wardRefs,
    };
    return new UpstreamResource(type, id, content, null, () => hubFormOfContent(content), source);
  }
}

/** The hub form a prepared content was made from (its text without the empty version and instant). */
function hubFormOfContent(content: PreparedContent): Resource {
  const resource = JSON.parse(content.text) as Resource;
  const { versionId: _v, lastUpdated: _l, ...meta } = resource.meta ?? {};
  return { ...resource, meta } as Resource;
}
