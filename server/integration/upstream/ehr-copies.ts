// The EHR's copies of documentation the hub sent back, as they come back in the mirror's searches.
// The outbox records, per entry, the EHR's version of its copy: the one the EHR answered with for the
// hub's own write (`sent`), or one the mirror took in (`received`). A copy at a version the hub knows
// is an echo (or a re-read) and writes nothing. A later version made at the EHR (marked
// entered-in-error, corrected there) is taken in as a new version of the hub's documentation (same
// hub id, the EHR's content), with a Provenance naming the EHR (and the EHR's author) and a
// `received` entry in the same transaction: the feeder never
// queues that version (no ping-pong), the next correction from a ward names it in If-Match, and a
// re-read finds it known. While a version of that documentation waits to be sent (or is held as a
// conflict, or is not queued yet) nothing is taken in: its send meets the EHR's change (412) and it becomes a conflict the
// ward settles. See docs/UPSTREAM.md, "Echoes and changes the EHR makes to its copy".
import type { Logger } from 'pino';
import {
  CLIENT_ID_SYSTEM,
  FhirValidationError,
  upstreamConflictOfVersion,
  validateResource,
  withoutUpstreamMarks,
  type Resource,
} from '../../../shared/fhir/index.js';
import { versionContentSql, type FeedWriter } from '../../fhir/index.js';
import { chunked, SqlParams, type SqlDatabase } from '../../storage/index.js';
import { ehrChangeProvenance } from './ehr-change-provenance.js';

/** A later version the EHR made of its copy of the hub's documentation. */
export interface EhrChange {
  readonly type: string;
  /** The hub's id of the documentation. */
  readonly hubId: string;
  /** The hub's latest version the outbox has an entry for: taken in only if it is still the current one. */
  readonly hubVersion: number;
  /** `Type/id` at the EHR. */
  readonly ref: string;
  readonly ehr: Resource;
}

export interface EhrCopies {
  /** `Type/id` of every EHR copy in the page: never stored under the EHR's id. */
  readonly copies: ReadonlySet<string>;
  /** Later versions to take in. */
  readonly changes: readonly EhrChange[];
  /** Copies acknowledged before the hub recorded EHR versions: their version now, adopted as the hub's echo. */
  readonly adopt: readonly { readonly ref: string; readonly version: string; readonly updated: string | null }[];
}

interface LedgerRow {
  seq: number;
  res_type: string;
  res_id: string;
  version: number;
  state: string;
  upstream_ref: string;
  upstream_version: string | null;
  upstream_updated: string | null;
}

const COPY_TYPES = ['Observation', 'MedicationAdministration', 'Provenance'];
const OPEN_STATES = ['pending', 'held', 'conflict'];

/** A page without any EHR copy of the hub's documentation. */
export const NO_EHR_COPIES: EhrCopies = { copies: new Set(), changes: [], adopt: [] };

/**
 * Whether any of a page's resources (`Type/id`) is the EHR's copy of documentation this hub sent
 * (the ledger knows its reference): only then does the page need sorting (sortEhrCopies).
 */
export async function holdsEhrCopies(db: SqlDatabase, refs: readonly string[]): Promise<boolean> {
  const candidates = refs.filter((ref) => COPY_TYPES.includes(ref.slice(0, ref.indexOf('/'))));
  for (const chunk of chunked(candidates, 500)) {
    const params = new SqlParams();
    const rows = await db.query(`SELECT 1 FROM upstream_outbox WHERE upstream_ref IN (${params.list(chunk)}) LIMIT 1`, params.values);
    if (rows.length > 0) return true;
  }
  return false;
}

/** Sorts a page's EHR copies of the hub's documentation: echoes, and later versions made at the EHR. */
export async function sortEhrCopies(db: SqlDatabase, resources: readonly Resource[]): Promise<EhrCopies> {
  const refs = resources.filter((r) => COPY_TYPES.includes(r.resourceType)).map((r) => `${r.resourceType}/${r.id ?? ''}`);
  const ledger = new Map<string, LedgerRow[]>();
  for (const chunk of chunked(refs, 500)) {
    const params = new SqlParams();
    const rows = await db.query<LedgerRow>(
      `SELECT seq, res_type, res_id, version, state, upstream_ref, upstream_version, upstream_updated FROM upstream_outbox
       WHERE upstream_ref IN (${params.list(chunk)}) ORDER BY seq`,
      params.values,
    );
    for (const row of rows) ledger.set(row.upstream_ref, [...(ledger.get(row.upstream_ref) ?? []), row]);
  }
  const copies = new Set(ledger.keys());
  const changes: EhrChange[] = [];
  const adopt: { ref: string; version: string; updated: string | null }[] = [];
  if (copies.size === 0) return { copies, changes, adopt };
  const open = await openDocumentation(
    db,
    [...ledger.values()].map((rows) => rows[rows.length - 1]!),
  );
  for (const resource of resources) {
    const ref = `${resource.resourceType}/${resource.id ?? ''}`;
    const rows = ledger.get(ref);
    const version = resource.meta?.versionId;
    // A Provenance's copy names the EHR's targets, not the hub's: never taken in.
    if (rows === undefined || resource.resourceType === 'Provenance' || version === undefined) continue;
    if (rows.some((row) => row.upstream_version === version)) continue;
    const last = rows[rows.length - 1]!;
    if (open.has(`${last.res_type}/${last.res_id}`)) continue;
    const known = [...rows].reverse().find((row) => row.upstream_version !== null);
    if (known === undefined) {
      adopt.push({ ref, version, updated: resource.meta?.lastUpdated ?? null });
      continue;
    }
    const knownAt = Date.parse(known.upstream_updated ?? '');
    const at = Date.parse(resource.meta?.lastUpdated ?? '');
    if (Number.isFinite(knownAt) && Number.isFinite(at) && at <= knownAt) continue;
    changes.push({ type: last.res_type, hubId: last.res_id, hubVersion: Number(last.version), ref, ehr: resource });
  }
  return { copies, changes, adopt };
}

/** The hub documentation (of these entries) with a version waiting to be sent or held as a conflict. */
async function openDocumentation(db: SqlDatabase, rows: readonly LedgerRow[]): Promise<Set<string>> {
  const open = new Set<string>();
  const byType = new Map<string, string[]>();
  for (const row of rows) byType.set(row.res_type, [...(byType.get(row.res_type) ?? []), row.res_id]);
  for (const [type, ids] of byType) {
    for (const chunk of chunked(ids, 500)) {
      const params = new SqlParams();
      const found = await db.query<{ res_id: string }>(
        `SELECT DISTINCT res_id FROM upstream_outbox WHERE res_type = ${params.add(type)} AND res_id IN (${params.list(chunk)})
         AND state IN (${params.list(OPEN_STATES)})`,
        params.values,
      );
      for (const row of found) open.add(`${type}/${row.res_id}`);
    }
  }
  return open;
}

/**
 * Writes, in the page's transaction, each later EHR version as a new version of the hub's
 * documentation, with its Provenance (ehr-change-provenance.ts) and its `received` entry; and
 * records the adopted versions. Returns how many
 * versions it wrote and how many it left out (invalid for the hub).
 */
export async function takeInEhrCopies(
  feed: FeedWriter,
  sorted: EhrCopies,
  baseUrl: string,
  now: Date,
  logger: Logger,
): Promise<{ written: number; refused: number }> {
  let written = 0;
  let refused = 0;
  for (const { ref, version, updated } of sorted.adopt) {
    await feed.tx.execute(
      `UPDATE upstream_outbox SET upstream_version = $2, upstream_updated = $3
       WHERE seq = (SELECT MAX(seq) FROM upstream_outbox WHERE upstream_ref = $1) AND upstream_version IS NULL`,
      [ref, version, updated],
    );
  }
  for (const change of sorted.changes) {
    const outcome = await takeInChange(feed, change, baseUrl, now);
    if (outcome === 'written') written++;
    if (typeof outcome === 'object') {
      refused++;
      logger.warn(
        { event: 'upstream.ehr_change_invalid', type: change.type, path: outcome.invalid },
        "the EHR's change to documentation the hub sent is not valid for the hub; left out",
      );
    }
  }
  return { written, refused };
}

/**
 * Writes one EHR version as a new version of the hub's documentation, with its Provenance and its
 * `received` entry: 'stale' when the hub's documentation has moved on since (a ward's version is the
 * ward's word, sent with If-Match), or the failing path when the hub's validation refuses it.
 */
async function takeInChange(
  feed: FeedWriter,
  change: EhrChange,
  baseUrl: string,
  now: Date,
): Promise<'written' | 'stale' | { invalid: string }> {
  const current = await feed.read(change.type as Resource['resourceType'], change.hubId);
  // A hub version the feeder has not queued yet (uploaded during this cycle) is the ward's word: it
  // is sent with If-Match and meets the EHR's change as a conflict, rather than being overwritten here.
  if (current === null || current.version !== change.hubVersion) return 'stale';
  const next = hubVersionOf(change, current.resource);
  try {
    validateResource(next);
  } catch (error) {
    if (!(error instanceof FhirValidationError)) throw error;
    return { invalid: error.path };
  }
  await feed.put(next);
  const stored = await feed.read(change.type as Resource['resourceType'], change.hubId);
  // Who changed it: the EHR (and its author when its version names one), never sent back.
  await feed.put(ehrChangeProvenance({ hub: stored!.resource, hubVersion: stored!.version, ehr: change.ehr, baseUrl, now }));
  const [row] = await feed.tx.query<{ seq: number }>('SELECT seq FROM fhir_versions WHERE res_type = $1 AND res_id = $2 AND version = $3', [
    change.type,
    change.hubId,
    stored!.version,
  ]);
  await feed.tx.execute(
    `INSERT INTO upstream_outbox (seq, res_type, res_id, version, state, attempts, upstream_ref, upstream_version, upstream_updated, queued_at, settled_at)
     VALUES ($1, $2, $3, $4, 'received', 0, $5, $6, $7, $8, $8)`,
    [
      Number(row!.seq),
      change.type,
      change.hubId,
      stored!.version,
      change.ref,
      change.ehr.meta?.versionId ?? null,
      change.ehr.meta?.lastUpdated ?? null,
      now.toISOString(),
    ],
  );
  return 'written';
}

/** The EHR's copy a conflict held (a 412: the EHR changed its copy), as the users saw it. */
export interface KeptEhrCopy {
  readonly ref: string;
  readonly ehr: Resource;
}

/**
 * The EHR's copy behind the newest conflict held for this documentation because the EHR changed its
 * copy (the entry names the EHR's copy and its version), with its content as the hub's tagged
 * version holds it (`contained`); null for other conflicts (a changed order, an ended stay: the EHR
 * holds no copy of the documentation) or when none is held. Read before the conflict is settled.
 */
export async function keptEhrCopy(tx: SqlDatabase, type: string, id: string): Promise<KeptEhrCopy | null> {
  const [held] = await tx.query<{ upstream_ref: string; upstream_version: string; upstream_updated: string | null }>(
    `SELECT upstream_ref, upstream_version, upstream_updated FROM upstream_outbox WHERE res_type = $1 AND res_id = $2
     AND state = 'conflict' AND upstream_ref IS NOT NULL AND upstream_version IS NOT NULL ORDER BY seq DESC LIMIT 1`,
    [type, id],
  );
  if (held === undefined) return null;
  const ehrId = held.upstream_ref.slice(type.length + 1);
  const versions = await tx.query<{ content: string | null }>(
    `SELECT ${versionContentSql('v')} AS content FROM fhir_versions v WHERE v.res_type = $1 AND v.res_id = $2 AND v.deleted = 0
     ORDER BY v.version DESC LIMIT 20`,
    [type, id],
  );
  for (const version of versions) {
    if (version.content === null) continue;
    const resource = JSON.parse(String(version.content)) as Resource & { contained?: Resource[] };
    if (upstreamConflictOfVersion(resource) === null) continue;
    const copy = (resource.contained ?? []).find((item) => item.resourceType === type);
    if (copy === undefined) return null;
    const meta = { versionId: held.upstream_version, ...(held.upstream_updated ? { lastUpdated: held.upstream_updated } : {}) };
    return { ref: held.upstream_ref, ehr: { ...copy, id: ehrId, meta } as Resource };
  }
  return null;
}

/**
 * A conflict with the EHR's change to its copy, settled by a user as "the EHR is right" (keep out of
 * the EHR): the EHR's copy the users saw is taken in at once, in the transaction that records the
 * settlement, as the mirror takes in a change the EHR made (a version with the EHR's content, its
 * Provenance, a `received` entry: not sent back, and the ward's next correction names it in If-Match).
 * Returns whether it was written (not when a later ward version is already there, or it is invalid).
 */
export async function takeInKeptEhrCopy(
  feed: FeedWriter,
  kept: KeptEhrCopy,
  hub: { readonly type: string; readonly id: string; readonly version: number },
  baseUrl: string,
  now: Date,
): Promise<boolean> {
  const change: EhrChange = { type: hub.type, hubId: hub.id, hubVersion: hub.version, ref: kept.ref, ehr: kept.ehr };
  return (await takeInChange(feed, change, baseUrl, now)) === 'written';
}

/** The hub's documentation as the EHR holds it now: the EHR's content under the hub's id and meta. */
function hubVersionOf(change: EhrChange, current: Resource): Resource {
  const { id: _id, meta: _ehrMeta, ...content } = change.ehr as Resource & Record<string, unknown>;
  const hub = withoutUpstreamMarks(current);
  const { versionId: _v, lastUpdated: _l, source: _s, ...meta } = hub.meta ?? {};
  const identifiers = (content.identifier as { system?: string }[] | undefined) ?? [];
  const clientId = ((hub as { identifier?: { system?: string }[] }).identifier ?? []).find((i) => i.system === CLIENT_ID_SYSTEM);
  // The client id finds the EHR's copy again: kept if the EHR dropped it.
  const identifier = clientId && !identifiers.some((i) => i.system === CLIENT_ID_SYSTEM) ? [...identifiers, clientId] : identifiers;
  return {
    ...content,
    resourceType: change.type,
    id: change.hubId,
    ...(identifier.length > 0 ? { identifier } : {}),
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
  } as Resource;
}
