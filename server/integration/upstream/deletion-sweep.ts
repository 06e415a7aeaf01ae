// Deletions at the EHR, mirrored. A `_lastUpdated` search never returns a deleted resource (and
// `_history` is not offered by every EHR), so every `deletionSweepMs` the mirror lists, per chart
// type, the ids the EHR holds for the ward's mirrored patients (every page; `_elements=id`),
// compares them with what the hub holds from this EHR for those patients, and reads each one that
// is missing: only a 404 or 410 counts as deleted (a paging shift while the EHR changes, or a
// resource moved to another patient, is found by its read and kept). The hub then writes a deletion
// (a tombstone version), so workstations drop it at their next sync. A listing or read that fails
// part-way ends the sweep with nothing deleted; it runs again next cycle.
import { chunked, SqlParams, type SqlDatabase } from '../../storage/index.js';
import { feedTransaction } from '../../fhir/index.js';
import type { ChartMirrorDeps, UpstreamCapabilities } from './mirror-context.js';
import { isFromUpstream, MIRRORED_TYPES } from './upstream-resource.js';
import { UPSTREAM_DEFAULTS } from './upstream-config.js';
import type { Resource } from '../../../shared/fhir/index.js';
import { admittedByFeed } from '../adt/visit-match.js';

const PATIENTS_PER_SEARCH = 50;
const HUB_IDS_PER_QUERY = 500;

/**
 * True when the ward's last sweep is older than the sweep interval. A ward's first cycle (its full
 * pull has just read everything) starts the interval instead of sweeping.
 */
export async function sweepDue(deps: ChartMirrorDeps, ward: string): Promise<boolean> {
  const rows = await deps.db.query<{ swept_ms: number }>('SELECT swept_ms FROM upstream_sweeps WHERE ward = $1', [ward]);
  if (rows[0] === undefined) {
    await deps.db.execute('INSERT INTO upstream_sweeps (ward, swept_ms) VALUES ($1, $2) ON CONFLICT (ward) DO NOTHING', [
      ward,
      deps.clock().getTime(),
    ]);
    return false;
  }
  const interval = deps.config.deletionSweepMs ?? UPSTREAM_DEFAULTS.deletionSweepMs;
  return deps.clock().getTime() - Number(rows[0].swept_ms) >= interval;
}

/** Ids of the live resources of `type` the hub holds from this EHR for these patients. */
async function heldFromUpstream(db: SqlDatabase, baseUrl: string, type: string, patientIds: readonly string[]): Promise<string[]> {
  const held: string[] = [];
  for (const group of chunked(patientIds, HUB_IDS_PER_QUERY)) {
    const params = new SqlParams();
    const rows = await db.query<{ res_id: string; content: string | Buffer | null }>(
      `SELECT res_id, content FROM fhir_resources WHERE res_type = ${params.add(type)} AND deleted = 0 AND patient_id IN (${params.list(group)})`,
      params.values,
    );
    for (const row of rows) {
      const text = row.content === null ? null : typeof row.content === 'string' ? row.content : row.content.toString('utf8');
      if (text !== null && isFromUpstream(baseUrl, JSON.parse(text) as Resource)) held.push(row.res_id);
    }
  }
  return held;
}

/** One sweep of a ward's mirrored patients; returns how many resources were deleted at the hub. */
export async function sweepDeletions(
  deps: ChartMirrorDeps,
  capabilities: UpstreamCapabilities,
  ward: string,
  patientIds: readonly string[],
): Promise<number> {
  const gone: { type: string; id: string }[] = [];
  for (const { type, patientParam } of MIRRORED_TYPES) {
    if (!capabilities.searchable.has(type)) continue;
    const held = await heldFromUpstream(deps.db, deps.config.baseUrl, type, patientIds);
    if (held.length === 0) continue;
    const listed = new Set<string>();
    for (const group of chunked(patientIds, PATIENTS_PER_SEARCH)) {
      const values = group.map((id) => encodeURIComponent(patientParam === '_id' ? id : `Patient/${id}`)).join(',');
      await deps.client.search(`${type}?${patientParam}=${values}&_elements=id&_count=${deps.config.pageSize}`, (page) => {
        for (const resource of page) if (resource.resourceType === type && resource.id) listed.add(resource.id);
        return Promise.resolve();
      });
    }
    for (const id of held) {
      if (!listed.has(id) && !(await deps.client.exists(`${type}/${encodeURIComponent(id)}`))) gone.push({ type, id });
    }
  }
  return feedTransaction(deps.db, deps.clock(), async (writer) => {
    await deps.lease.fence(writer.tx);
    let deleted = 0;
    for (const target of gone) {
      // Still the EHR's copy (nothing at the hub replaced it meanwhile): delete it. A stay the ADT
      // feed holds (encounter-match.ts) stays: the feed is the source of its status and locations.
      const current = await writer.read(target.type as Resource['resourceType'], target.id);
      if (current === null || !isFromUpstream(deps.config.baseUrl, current.resource)) continue;
      if (current.resource.resourceType === 'Encounter' && admittedByFeed(current.resource)) continue;
      if (await writer.remove(target.type, target.id)) deleted++;
    }
    await writer.tx.execute(
      `INSERT INTO upstream_sweeps (ward, swept_ms) VALUES ($1, $2) ON CONFLICT (ward) DO UPDATE SET swept_ms = excluded.swept_ms`,
      [ward, deps.clock().getTime()],
    );
    return deleted;
  });
}
