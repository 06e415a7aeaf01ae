// The EHR's copies of documentation the hub sent back, as they come back in the mirror's searches.
// The outbox records, per entry, the EHR's version of its copy: the one the EHR answered with for the
// hub's own write (`sent`), or one the mirror took in (`received`). A copy at a version the hub knows
// is an echo (or a re-read) and writes nothing. A later version made at the EHR (marked
// entered-in-error, corrected there) is taken in as a new version of the hub's documentation (same
// hub id, the EHR's content), with a `received` entry in the same transaction: the feeder never
// queues that version (no ping-pong), the next correction from a ward names it in If-Match, and a
// re-read finds it known. While a version of that documentation waits to be sent (or is held as a
// conflict, or is not queued yet) nothing is taken in: its send meets the EHR's change (412) and it becomes a conflict the
// ward settles. See docs/UPSTREAM.md, "Echoes and changes the EHR makes to its copy".
import type { Logger } from 'pino';
import {
  CLIENT_ID_SYSTEM,
  FhirValidationError,
  validateResource,
  withoutUpstreamMarks,
  type Resource,
} from '../../../shared/fhir/index.js';
import type { FeedWriter } from '../../fhir/index.js';
import { chunked, SqlParams, type SqlDatabase } from '../../storage/index.js';

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
 * documentation, with its `received` entry; and records the adopted versions. Returns how many
 * versions it wrote and how many it left out (invalid for the hub).
 */
export async function takeInEhrCopies(
  feed: FeedWriter,
  sorted: EhrCopies,
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
    const current = await feed.read(change.type as Resource['resourceType'], change.hubId);
    // A hub version the feeder has not queued yet (uploaded during this cycle) is the ward's word: it
    // is sent with If-Match and meets the EHR's change as a conflict, rather than being overwritten here.
    if (current === null || current.version !== change.hubVersion) continue;
    const next = hubVersionOf(change, current.resource);
    try {
      validateResource(next);
    } catch (error) {
      if (!(error instanceof FhirValidationError)) throw error;
      refused++;
      logger.warn(
        { event: 'upstream.ehr_change_invalid', type: change.type, path: error.path },
        "the EHR's change to documentation the hub sent is not valid for the hub; left out",
      );
      continue;
    }
    await feed.put(next);
    const stored = await feed.read(change.type as Resource['resourceType'], change.hubId);
    const [row] = await feed.tx.query<{ seq: number }>(
      'SELECT seq FROM fhir_versions WHERE res_type = $1 AND res_id = $2 AND version = $3',
      [change.type, change.hubId, stored!.version],
    );
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
    written++;
  }
  return { written, refused };
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
