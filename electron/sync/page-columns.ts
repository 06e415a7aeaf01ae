// One $everything page read for the writing thread by another (sync-page-worker.ts): the Bundle's
// bytes scanned one entry at a time (readBundleText), each resource parsed, validated and made into
// the row the vault stores (the vault's validatedRow, no database), plus what the writing thread
// decides with: its type, id and version, its client id, its upstream conflict record, and its
// scope facts (pull-context.ts: patient, care window's end, a Location's parent). Nothing here
// needs the database; every decision that does (scope against the vault's Locations, the stored
// versions, the outbox) stays on the writing thread (page-reader.ts).
//
// The answer is plain columns, cheap to hand between threads: numbers in typed arrays (transferred,
// not copied), the strings a page repeats (types, patients, codes, units, versions, times) once in
// a table, and each resource's JSON as its byte range in the page (the page's bytes go back to the
// writing thread, which stores those bytes as they are). A parsed resource would cost more to copy
// between threads than to parse.
import { careWindowEndMs, isSupportedResourceType, patientIdOf, type Resource } from '../../shared/fhir/index.js';
import type { NewConflict } from '../vault/index.js';
import { validatedRow } from '../vault/resource-validation.js';
import { readBundleText, type IncomingVersion } from './bundle-reading.js';
import { clientIdOf } from './client-identifier.js';
import { mayCarryUpstreamConflict, upstreamConflictRecord } from './upstream-conflict-records.js';

/** An entry's kind: a deletion, a type this vault does not hold, a valid resource, one validation refused. */
export const DELETED = 0;
export const OTHER_TYPE = 1;
export const VALID = 2;
export const INVALID = 3;

/** A page as columns, indexed by entry; the string columns are indexes into `strings` (-1: none). */
export interface PageColumns {
  readonly lastUpdated: string;
  readonly next: string | null;
  readonly count: number;
  readonly strings: string[];
  readonly ids: string[];
  readonly type: Int32Array;
  readonly version: Float64Array;
  readonly kind: Uint8Array;
  readonly clientId: Int32Array;
  /** patientIdOf the resource: the scope's patient and the row's. */
  readonly patient: Int32Array;
  readonly careWindowEnd: Float64Array;
  /** A Location's partOf.reference. */
  readonly partOf: Int32Array;
  readonly category: Int32Array;
  readonly code: Int32Array;
  /** NaN: null. */
  readonly effectiveMs: Float64Array;
  readonly status: Int32Array;
  /** NaN: null. */
  readonly valueNum: Float64Array;
  readonly valueUnit: Int32Array;
  readonly versionId: Int32Array;
  readonly metaLastUpdated: Int32Array;
  /** The resource's JSON: bytes [jsonStart, jsonEnd) of the page. */
  readonly jsonStart: Int32Array;
  readonly jsonEnd: Int32Array;
  /** Where validation refused the resource (INVALID). */
  readonly invalidPath: Int32Array;
  /** The entries that may carry an upstream conflict: [entry, the conflict it records or null]. */
  readonly upstream: Array<[number, NewConflict | null]>;
}

/** The typed arrays of a page's columns (what is transferred between threads). */
export function columnBuffers(columns: PageColumns): ArrayBuffer[] {
  return [
    columns.type,
    columns.version,
    columns.kind,
    columns.clientId,
    columns.patient,
    columns.careWindowEnd,
    columns.partOf,
    columns.category,
    columns.code,
    columns.effectiveMs,
    columns.status,
    columns.valueNum,
    columns.valueUnit,
    columns.versionId,
    columns.metaLastUpdated,
    columns.jsonStart,
    columns.jsonEnd,
    columns.invalidPath,
  ].map((array) => array.buffer as ArrayBuffer);
}

class StringTable {
  readonly strings: string[] = [];
  readonly #index = new Map<string, number>();

  of(value: string | null | undefined): number {
    if (value === null || value === undefined) return -1;
    let at = this.#index.get(value);
    if (at === undefined) {
      at = this.strings.length;
      this.strings.push(value);
      this.#index.set(value, at);
    }
    return at;
  }
}

/** Grows typed columns as entries come (a page's size is known only at its end). */
function grown<T extends Int32Array | Float64Array | Uint8Array>(array: T, length: number): T {
  if (length <= array.length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(length, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** Mutable columns while a page is read. */
type Building = { -readonly [K in keyof PageColumns]: PageColumns[K] };

const INT_COLUMNS = [
  'type',
  'clientId',
  'patient',
  'partOf',
  'category',
  'code',
  'status',
  'valueUnit',
  'versionId',
  'metaLastUpdated',
  'jsonStart',
  'jsonEnd',
  'invalidPath',
] as const;
const FLOAT_COLUMNS = ['version', 'careWindowEnd', 'effectiveMs', 'valueNum'] as const;

/**
 * Reads a searchset page (an $everything page) from its bytes into columns; throws as
 * readBundleText does (SyncError HUB_ANSWER_INVALID or HUB_ANSWER_MALFORMED).
 */
export function readPageColumns(body: Buffer): PageColumns {
  const table = new StringTable();
  const initial = 64;
  const c: Building = {
    lastUpdated: '',
    next: null,
    count: 0,
    strings: table.strings,
    ids: [],
    type: new Int32Array(initial),
    version: new Float64Array(initial),
    kind: new Uint8Array(initial),
    clientId: new Int32Array(initial),
    patient: new Int32Array(initial),
    careWindowEnd: new Float64Array(initial),
    partOf: new Int32Array(initial),
    category: new Int32Array(initial),
    code: new Int32Array(initial),
    effectiveMs: new Float64Array(initial),
    status: new Int32Array(initial),
    valueNum: new Float64Array(initial),
    valueUnit: new Int32Array(initial),
    versionId: new Int32Array(initial),
    metaLastUpdated: new Int32Array(initial),
    jsonStart: new Int32Array(initial),
    jsonEnd: new Int32Array(initial),
    invalidPath: new Int32Array(initial),
    upstream: [],
  };
  const add = (incoming: IncomingVersion, json: Buffer | null): void => {
    const i = c.count;
    c.count += 1;
    for (const name of INT_COLUMNS) c[name] = grown(c[name], c.count);
    for (const name of FLOAT_COLUMNS) c[name] = grown(c[name], c.count);
    c.kind = grown(c.kind, c.count);
    const { type, id, version, resource } = incoming;
    for (const name of INT_COLUMNS) c[name][i] = -1;
    c.ids.push(id);
    c.type[i] = table.of(type);
    c.version[i] = version;
    c.careWindowEnd[i] = Number.POSITIVE_INFINITY;
    c.effectiveMs[i] = Number.NaN;
    c.valueNum[i] = Number.NaN;
    if (resource === null) {
      c.kind[i] = DELETED;
      return;
    }
    if (!isSupportedResourceType(type)) {
      c.kind[i] = OTHER_TYPE;
      return;
    }
    c.clientId[i] = table.of(clientIdOf(resource));
    if (mayCarryUpstreamConflict(resource)) c.upstream.push([i, upstreamConflictRecord(resource, version)]);
    scopeFacts(c, table, i, resource);
    c.jsonStart[i] = json!.byteOffset - body.byteOffset;
    c.jsonEnd[i] = c.jsonStart[i]! + json!.byteLength;
    const checked = validatedRow(resource, json!);
    if (!('row' in checked)) {
      c.kind[i] = INVALID;
      c.invalidPath[i] = table.of(checked.invalidPath);
      return;
    }
    const { row } = checked;
    c.kind[i] = VALID;
    c.category[i] = table.of(row.category);
    c.code[i] = table.of(row.code);
    if (row.effectiveMs !== null) c.effectiveMs[i] = row.effectiveMs;
    c.status[i] = table.of(row.status);
    if (row.valueNum !== null) c.valueNum[i] = row.valueNum;
    c.valueUnit[i] = table.of(row.valueUnit);
    c.versionId[i] = table.of(row.versionId);
    c.metaLastUpdated[i] = table.of(row.lastUpdated);
  };
  const page = readBundleText(body, 'searchset', add);
  c.lastUpdated = page.lastUpdated;
  c.next = page.next;
  for (const name of INT_COLUMNS) c[name] = c[name].slice(0, c.count);
  for (const name of FLOAT_COLUMNS) c[name] = c[name].slice(0, c.count);
  c.kind = c.kind.slice(0, c.count);
  return c;
}

/** The scope facts of a resource (pull-context.ts's ScopeFacts), into entry `i`'s columns. */
function scopeFacts(c: Building, table: StringTable, i: number, resource: Resource): void {
  c.patient[i] = table.of(patientIdOf(resource));
  c.careWindowEnd[i] = careWindowEndMs(resource);
  if (resource.resourceType === 'Location') c.partOf[i] = table.of(resource.partOf?.reference);
}
