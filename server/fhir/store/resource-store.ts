// Reading and writing versions. Every write is a new version (meta.versionId 1, 2, …; meta.lastUpdated
// from the transaction's stamp) kept in fhir_versions; a delete is a tombstone version. The content
// of a version is stored once (stored-resource.ts): the current version's in fhir_resources; when a
// newer version (or a tombstone) replaces it, its text moves into its own fhir_versions row in the
// same transaction. Writers must run inside a transaction opened with beginWrite (hub-clock.ts).
// Knows nothing of HTTP or access.
import type { Resource } from '../../../shared/fhir/index.js';
import { chunked, rowsPlaceholders, SqlParams, type SqlDatabase } from '../../storage/index.js';
import { stampToInstant, type WriteSession } from './hub-clock.js';
import { indexTermsOf, wardRefsOf } from './index-terms.js';
import { asciiJson } from './ascii-json.js';
import { contentAt, type PreparedContent } from './prepared-content.js';
import { contentText, fromRow, RESOURCE_COLUMNS, versionContentSql, type ResourceRow, type StoredResource } from './stored-resource.js';

export async function readCurrent(db: SqlDatabase, type: string, id: string): Promise<StoredResource | null> {
  const rows = await db.query<ResourceRow>(`SELECT ${RESOURCE_COLUMNS} FROM fhir_resources WHERE res_type = $1 AND res_id = $2`, [
    type,
    id,
  ]);
  return rows[0] ? fromRow(rows[0]) : null;
}

/** readCurrent for many ids of one type at once: the rows found, by id (an id never written is absent). */
export async function readCurrentMany(db: SqlDatabase, type: string, ids: readonly string[]): Promise<Map<string, StoredResource>> {
  const found = new Map<string, StoredResource>();
  for (const chunk of chunked([...new Set(ids)], 200)) {
    const params = new SqlParams();
    const rows = await db.query<ResourceRow>(
      `SELECT ${RESOURCE_COLUMNS} FROM fhir_resources WHERE res_type = ${params.add(type)} AND res_id IN (${params.list(chunk)})`,
      params.values,
    );
    for (const row of rows) found.set(row.res_id, fromRow(row));
  }
  return found;
}

export async function readVersion(db: SqlDatabase, type: string, id: string, version: number): Promise<StoredResource | null> {
  const rows = await db.query<ResourceRow>(
    `SELECT v.res_type, v.res_id, v.version, v.last_updated, v.seq, v.deleted, v.patient_id, ${versionContentSql('v')} AS content
     FROM fhir_versions v WHERE v.res_type = $1 AND v.res_id = $2 AND v.version = $3`,
    [type, id, version],
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

export interface NewVersion {
  /** The validated resource; its `id` must be set. Its `meta` is replaced by the store's. */
  readonly resource: Resource;
  /** The current version, if any (live or deleted). */
  readonly previous: StoredResource | null;
  /** `previous` already parsed, when the writer holds it (spares parsing its content again). */
  readonly previousResource?: Resource | null;
}

/** A new version whose content was prepared beforehand (prepared-content.ts, possibly on another thread). */
export interface PreparedNewVersion {
  readonly content: PreparedContent;
  /** The current version, if any (live or deleted). */
  readonly previous: StoredResource | null;
}

interface PreparedVersion {
  readonly stored: StoredResource;
  /** The version as stored (`stored.content` is its JSON); shared: never changed in place. */
  readonly resource: Resource | null;
  readonly status: string | null;
  readonly careEnd: number | null;
  readonly date: { readonly start: number; readonly end: number } | null;
  readonly tokens: readonly { param: string; system: string; value: string }[];
  readonly wardRefs: readonly string[];
  /** The seq of the live stored version this one replaces (its search tokens are deleted), or null. */
  readonly replacesLive: number | null;
  /** The live version this one replaces (its content moves into its history row), if any. */
  readonly supersedes: { readonly seq: number; readonly content: string } | null;
}

function supersededBy(previous: StoredResource | null): PreparedVersion['supersedes'] {
  if (previous === null || previous.deleted) return null;
  const content = contentText(previous);
  return content === null ? null : { seq: previous.seq, content };
}

function previousResource(previous: StoredResource | null): Resource | null {
  const text = previous ? contentText(previous) : null;
  return text ? (JSON.parse(text) as Resource) : null;
}

/** The session's stamp as an instant, formatted once for all the versions of a transaction. */
let lastInstant = { stamp: -1, text: '' };
function instantOf(stamp: number): string {
  if (lastInstant.stamp !== stamp) lastInstant = { stamp, text: stampToInstant(stamp) };
  return lastInstant.text;
}

function prepare(session: WriteSession, item: NewVersion): PreparedVersion {
  const { resource, previous } = item;
  const id = resource.id;
  if (!id) throw new Error('A resource reached the store without an id; this is a hub defect.');
  const version = (previous?.version ?? 0) + 1;
  const meta = { ...(resource.meta ?? {}), versionId: String(version), lastUpdated: instantOf(session.stamp) };
  // resourceType and id first, as FHIR JSON is usually written; meta where it was (else last). One
  // copy of the resource, serialised once.
  const { resourceType, id: _id, ...rest } = resource as Resource & Record<string, unknown>;
  const withMeta = { resourceType, id, ...rest, meta } as Resource;
  const content = asciiJson(withMeta);
  const terms = indexTermsOf(withMeta);
  const wardRefs =
    resource.resourceType === 'Encounter'
      ? [
          ...new Set([
            ...wardRefsOf(withMeta),
            ...wardRefsOf(item.previousResource !== undefined ? item.previousResource : previousResource(previous)),
          ]),
        ]
      : [];
  return {
    resource: withMeta,
    stored: {
      type: resource.resourceType,
      id,
      version,
      lastUpdated: session.stamp,
      seq: session.nextSeq(),
      deleted: false,
      patientId: terms.patientId,
      content,
    },
    status: terms.status,
    careEnd: terms.careEnd,
    date: terms.date,
    tokens: terms.tokens,
    wardRefs,
    replacesLive: liveSeq(previous),
    supersedes: supersededBy(previous),
  };
}

function preparedFrom(session: WriteSession, item: PreparedNewVersion): PreparedVersion {
  const { content, previous } = item;
  const version = (previous?.version ?? 0) + 1;
  const wardRefs = content.type === 'Encounter' ? [...new Set([...content.wardRefs, ...wardRefsOf(previousResource(previous))])] : [];
  return {
    resource: null,
    stored: {
      type: content.type,
      id: content.id,
      version,
      lastUpdated: session.stamp,
      seq: session.nextSeq(),
      deleted: false,
      patientId: content.patientId,
      content: contentAt(content, version, instantOf(session.stamp)),
    },
    status: content.status,
    careEnd: content.careEnd,
    date: content.date,
    tokens: content.tokens,
    wardRefs,
    replacesLive: liveSeq(previous),
    supersedes: supersededBy(previous),
  };
}

function liveSeq(previous: StoredResource | null): number | null {
  return previous === null || previous.deleted ? null : previous.seq;
}

const RESOURCE_INSERT_COLUMNS =
  '(res_type, res_id, version, last_updated, seq, deleted, patient_id, status, care_end_ms, date_start, date_end, content)';
const UPSERT_TAIL = ` ON CONFLICT (res_type, res_id) DO UPDATE SET version = excluded.version, last_updated = excluded.last_updated,
  seq = excluded.seq, deleted = excluded.deleted, patient_id = excluded.patient_id, status = excluded.status, care_end_ms = excluded.care_end_ms,
  date_start = excluded.date_start, date_end = excluded.date_end, content = excluded.content`;

/**
 * The text of a multi-row statement, by its head and row count: the same few texts recur, and the
 * same string each time spares building it and hashing it again for the statement cache.
 */
const statementTexts = new Map<string, Map<number, string>>();

function rowsStatement(head: string, tail: string, rowCount: number, width: number): string {
  let byCount = statementTexts.get(head);
  if (byCount === undefined) {
    byCount = new Map();
    statementTexts.set(head, byCount);
  }
  const known = byCount.get(rowCount);
  if (known !== undefined) return known;
  const text = `${head} VALUES ${rowsPlaceholders(rowCount, width)}${tail}`;
  if (byCount.size > 256) byCount.clear();
  byCount.set(rowCount, text);
  return text;
}

/** Rows a multi-row INSERT writes per statement. */
const ROWS_PER_STATEMENT = 200;

/**
 * Inserts rows given as one flat list of values (`width` per row, in column order), as multi-row
 * statements: no array per row, nothing flattened again.
 */
async function insertRows(tx: SqlDatabase, head: string, tail: string, width: number, values: readonly unknown[]): Promise<void> {
  const step = ROWS_PER_STATEMENT * width;
  for (let start = 0; start < values.length; start += step) {
    const part = start === 0 && values.length <= step ? values : values.slice(start, start + step);
    await tx.execute(rowsStatement(head, tail, part.length / width, width), part);
  }
}

/**
 * Writes `currents` as the current rows (with their tokens; one per resource) and `versions` into
 * the history (with their ward references). A version's history row holds its content only when a
 * later one replaces it here; the content of a stored version these replace moves into its row.
 */
async function persistRows(tx: SqlDatabase, currents: readonly PreparedVersion[], versions: readonly PreparedVersion[]): Promise<void> {
  const currentSeqs = new Set(currents.map((p) => p.stored.seq));
  const writtenSeqs = new Set(versions.map((p) => p.stored.seq));
  for (const p of versions) {
    if (p.supersedes === null || writtenSeqs.has(p.supersedes.seq)) continue;
    await tx.execute('UPDATE fhir_versions SET content = $1 WHERE seq = $2', [p.supersedes.content, p.supersedes.seq]);
  }
  // A current version's tokens carry its seq: those of the versions replaced here go by that number.
  const replacedSeqs = currents.flatMap((p) => (p.replacesLive === null ? [] : [p.replacesLive]));
  for (const chunk of chunked(replacedSeqs, 500)) {
    await tx.execute(`DELETE FROM fhir_tokens WHERE seq IN (${chunk.map((_, i) => `$${i + 1}`).join(', ')})`, chunk);
  }
  const resourceValues: unknown[] = [];
  for (const p of currents) {
    const { stored, date } = p;
    resourceValues.push(
      stored.type,
      stored.id,
      stored.version,
      stored.lastUpdated,
      stored.seq,
      stored.deleted ? 1 : 0,
      stored.patientId,
      p.status,
      p.careEnd,
      date === null ? null : date.start,
      date === null ? null : date.end,
      stored.content,
    );
  }
  await insertRows(tx, `INSERT INTO fhir_resources ${RESOURCE_INSERT_COLUMNS}`, UPSERT_TAIL, 12, resourceValues);
  const versionValues: unknown[] = [];
  for (const { stored } of versions) {
    versionValues.push(
      stored.seq,
      stored.type,
      stored.id,
      stored.version,
      stored.lastUpdated,
      stored.deleted ? 1 : 0,
      stored.patientId,
      currentSeqs.has(stored.seq) ? null : stored.content,
    );
  }
  await insertRows(
    tx,
    'INSERT INTO fhir_versions (seq, res_type, res_id, version, last_updated, deleted, patient_id, content)',
    '',
    8,
    versionValues,
  );
  const tokenValues: unknown[] = [];
  for (const { stored, tokens } of currents) {
    for (const t of tokens) tokenValues.push(stored.type, stored.id, t.param, t.system, t.value, stored.seq);
  }
  await insertRows(tx, 'INSERT INTO fhir_tokens (res_type, res_id, param, system, value, seq)', '', 6, tokenValues);
  const wardValues: unknown[] = [];
  for (const { stored, wardRefs } of versions) {
    for (const ref of wardRefs) wardValues.push(ref, stored.seq);
  }
  await insertRows(tx, 'INSERT INTO fhir_version_wards (ward_ref, seq)', '', 2, wardValues);
}

/** Writes new versions of resources (creates and updates alike); returns them as stored. */
export async function writeVersions(
  tx: SqlDatabase,
  session: WriteSession,
  items: readonly (NewVersion | PreparedNewVersion)[],
): Promise<StoredResource[]> {
  const prepared = items.map((item) => ('content' in item ? preparedFrom(session, item) : prepare(session, item)));
  await persistRows(tx, prepared, prepared);
  return prepared.map((p) => p.stored);
}

/** Writes a tombstone version of a live resource; returns it. */
export async function writeDeletion(tx: SqlDatabase, session: WriteSession, current: StoredResource): Promise<StoredResource> {
  const stored: StoredResource = {
    type: current.type,
    id: current.id,
    version: current.version + 1,
    lastUpdated: session.stamp,
    seq: session.nextSeq(),
    deleted: true,
    patientId: current.patientId,
    content: null,
  };
  const wardRefs = current.type === 'Encounter' ? wardRefsOf(previousResource(current)) : [];
  const supersedes = supersededBy(current);
  const tombstone: PreparedVersion = {
    stored,
    resource: null,
    status: null,
    careEnd: null,
    date: null,
    tokens: [],
    wardRefs,
    replacesLive: liveSeq(current),
    supersedes,
  };
  await persistRows(tx, [tombstone], [tombstone]);
  return stored;
}

/**
 * Versions collected in memory and written together (one multi-row statement per table), for a
 * writer that makes many small changes in one transaction (a feed message: a patient, an encounter,
 * two beds). Each `add`/`addDeletion` takes its version number and sequence at once (so what it
 * returns is exactly what `flush` stores); the same resource may change more than once: every version
 * goes to the history, the last one is the current row. Nothing is written before `flush`, which
 * must run in the same transaction before anything reads the store by query.
 */
export class VersionBatch {
  private pending: PreparedVersion[] = [];

  constructor(private readonly session: WriteSession) {}

  get size(): number {
    return this.pending.length;
  }

  /** Queues a new version of `item.resource` after `item.previous`; returns it as it will be stored. */
  add(item: NewVersion): StoredResource {
    return this.addVersion(item).stored;
  }

  /**
   * As `add`, with the version also as the resource its content is the JSON of (meta included), so
   * a writer that reads it back needs no parse. Shared with the batch: never change it in place.
   */
  addVersion(item: NewVersion): { readonly stored: StoredResource; readonly resource: Resource } {
    const prepared = prepare(this.session, item);
    this.pending.push(prepared);
    return { stored: prepared.stored, resource: prepared.resource! };
  }

  /** Queues a tombstone after the live `current`; returns it. */
  addDeletion(current: StoredResource): StoredResource {
    const stored: StoredResource = {
      type: current.type,
      id: current.id,
      version: current.version + 1,
      lastUpdated: this.session.stamp,
      seq: this.session.nextSeq(),
      deleted: true,
      patientId: current.patientId,
      content: null,
    };
    const wardRefs = current.type === 'Encounter' ? wardRefsOf(previousResource(current)) : [];
    this.pending.push({
      stored,
      resource: null,
      status: null,
      careEnd: null,
      date: null,
      tokens: [],
      wardRefs,
      replacesLive: liveSeq(current),
      supersedes: supersededBy(current),
    });
    return stored;
  }

  /**
   * Forgets the versions queued after the first `size` (a feed message refused after queuing some):
   * they are never written. The sequence numbers they took stay unused, as a rolled-back write's do.
   */
  truncate(size: number): void {
    if (size < this.pending.length) this.pending.length = size;
  }

  /** Writes every queued version. */
  async flush(tx: SqlDatabase): Promise<void> {
    if (this.pending.length === 0) return;
    const all = this.pending;
    this.pending = [];
    // The current row (and its tokens) of each resource is its last version; the tokens it replaces
    // are those of the live version stored before the batch (a resource first created in this batch
    // replaces none).
    const last = new Map<string, PreparedVersion>();
    const storedBefore = new Map<string, number | null>();
    for (const p of all) {
      const key = `${p.stored.type}/${p.stored.id}`;
      if (!storedBefore.has(key)) storedBefore.set(key, p.replacesLive);
      last.set(key, p);
    }
    const currents = [...last.entries()].map(([key, p]) => ({ ...p, replacesLive: storedBefore.get(key)! }));
    await persistRows(tx, currents, all);
  }
}
