// The mirror of one ward's charts. Each cycle: the ward's census from the upstream (in-progress
// Encounters at the ward's upstream Location); a full pull of each patient new to the ward
// (Patient/$everything when the upstream's CapabilityStatement offers it, otherwise a search per
// chart type; two at a time, the next page asked for while a batch is written; its pages written
// FULL_PULL_BATCH resources to a transaction); then, for every mirrored patient, the changes since each type's cursor
// (`_lastUpdated=ge`, sorted, paged), written with the cursor in one transaction so a restart
// resumes with no gap; patients who left the ward stop being followed once their last change is in;
// and, every deletion-sweep interval, what the EHR deleted is deleted at the hub (deletion-sweep.ts).
// Every page's transaction renews the leader lease (or rolls back) and merges an ADT-admitted record
// into the EHR Patient with its MRN (patient-match.ts), and the ADT feed's Encounter of a stay into the
// EHR's Encounter with its visit number (encounter-match.ts).
// Only the cache window is kept (care from `daysBeforeAdmission` before the admission on, plus
// what matters whatever its date). A re-read of a version the hub has writes nothing.
import { cacheWindowStartMs, referenceId, type Encounter, type Patient, type Resource } from '../../../shared/fhir/index.js';
import { writeExternalVersions } from '../../fhir/index.js';
import { chunked, type SqlDatabase } from '../../storage/index.js';
import { sweepDeletions, sweepDue } from './deletion-sweep.js';
import { holdsEhrCopies, NO_EHR_COPIES, sortEhrCopies, takeInEhrCopies } from './ehr-copies.js';
import type { ChartMirrorDeps, UpstreamCapabilities } from './mirror-context.js';
import { heldEncounters, keepFeedVisit, matchFeedVisits } from './encounter-match.js';
import { keepOneStay, onHubWard } from '../adt/one-stay.js';
import { matchAdmittedPatients } from './patient-match.js';
import { wakeHeldEntries } from './held-entries.js';
import type { UpstreamClient } from './upstream-client.js';
import type { UpstreamWard } from './upstream-config.js';
import { pageResources, type UpstreamPage, type UpstreamResource } from './upstream-page.js';
import { isFromUpstream, MIRRORED_TYPES } from './upstream-resource.js';

/** Patients per search (`patient=a,b,…`). */
const PATIENTS_PER_SEARCH = 50;

/**
 * Resources a full pull gathers (from as many pages and searches as it takes) before it writes them
 * in one transaction. An index page of the store is rewritten (and encrypted) once per transaction
 * that touches it, and the pages of the indexes keyed by resource id are touched all over by every
 * transaction of a bulk write: four upstream pages per transaction write ~35 % fewer pages than one.
 * The transaction holds the hub's write lock while it runs (a few tenths of a second for this many
 * resources), so it stays this size rather than a whole chart.
 */
export const FULL_PULL_BATCH = 4000;

/** Searches a full pull runs side by side (a request each in flight at the upstream). */
const FULL_PULL_SEARCHES_AT_ONCE = 2;

/**
 * Pages of each of a full pull's searches asked for and read (on the page worker) while the pages
 * before them wait to be written: the worker reads the next batch while the hub's thread writes one.
 */
const FULL_PULL_PAGES_AHEAD = 4;

/** Lets the hub's event loop run (pages arriving, the page worker's answers) between parts of a bulk write. */
const letEventsIn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One resource of a page read. */
interface PageEntry {
  readonly page: UpstreamPage;
  readonly index: number;
}

function entriesOf(page: UpstreamPage): PageEntry[] {
  const entries: PageEntry[] = [];
  for (let index = 0; index < page.size; index++) entries.push({ page, index });
  return entries;
}

/** The entries as the upstream sent them (parsed again from their pages' bodies: for the rare decision that needs them). */
function upstreamResources(entries: readonly PageEntry[]): Resource[] {
  const parsed = new Map<UpstreamPage, Resource[]>();
  return entries.map(({ page, index }) => {
    let resources = parsed.get(page);
    if (resources === undefined) {
      resources = pageResources(page.body);
      parsed.set(page, resources);
    }
    return resources[index]!;
  });
}

export interface WardCycleResult {
  readonly patients: number;
  readonly written: number;
  /** Resources left out: invalid for the hub, or the hub holds its own resource under that id. */
  readonly refused: number;
  /** Resources deleted at the hub because the EHR deleted them. */
  readonly deleted: number;
  /** Hub records (admitted by the ADT feed) merged into the EHR's patient with their MRN. */
  readonly merged: number;
  /** The ADT feed's Encounters merged into the EHR's Encounter of the same stay (visit number). */
  readonly visitsMerged: number;
}

interface Counters {
  written: number;
  refused: number;
  merged: number;
  visitsMerged: number;
}

/** Reads the upstream's CapabilityStatement: $everything and the searchable types. */
export async function readCapabilities(client: UpstreamClient): Promise<UpstreamCapabilities> {
  const { body } = await client.read('metadata');
  const rest = (body as { rest?: { resource?: { type?: string; operation?: { name?: string }[]; interaction?: { code?: string }[] }[] }[] })
    ?.rest?.[0];
  const resources = rest?.resource ?? [];
  const patient = resources.find((r) => r.type === 'Patient');
  const searchable = new Set(
    resources.filter((r) => r.interaction === undefined || r.interaction.some((i) => i.code === 'search-type')).map((r) => r.type ?? ''),
  );
  return {
    everything: (patient?.operation ?? []).some((op) => op.name === 'everything'),
    searchable: resources.length === 0 ? new Set(MIRRORED_TYPES.map((t) => t.type)) : searchable,
  };
}

interface CensusEntry {
  readonly admission: string | undefined;
}

async function readCensus(deps: ChartMirrorDeps, ward: UpstreamWard): Promise<{ census: Map<string, CensusEntry>; upstreamNow: number }> {
  const census = new Map<string, CensusEntry>();
  const query = `Encounter?location=${encodeURIComponent(ward.location)}&status=in-progress&_count=${deps.config.pageSize}`;
  const { date } = await deps.client.read('metadata');
  const upstreamNow = date ? Date.parse(date) : deps.clock().getTime();
  await deps.client.search(query, async (page) => {
    for (const resource of page) {
      if (resource.resourceType !== 'Encounter') continue;
      const encounter = resource as Encounter;
      const patientId = referenceId(encounter.subject?.reference, 'Patient');
      if (!patientId) continue;
      const previous = census.get(patientId)?.admission;
      const start = encounter.period?.start;
      const earliest = previous === undefined || (start !== undefined && Date.parse(start) < Date.parse(previous)) ? start : previous;
      census.set(patientId, { admission: earliest });
    }
    return Promise.resolve();
  });
  return { census, upstreamNow: Number.isFinite(upstreamNow) ? upstreamNow : deps.clock().getTime() };
}

/** The patients whose stays a page may have doubled: of its Encounters in progress on a hub ward, and those just merged. */
function staysToSettle(page: readonly Resource[], mergedInto: readonly string[]): Set<string> {
  const ids = new Set(mergedInto);
  for (const resource of page) {
    if (resource.resourceType !== 'Encounter' || resource.status !== 'in-progress' || !onHubWard(resource)) continue;
    const patientId = referenceId(resource.subject?.reference, 'Patient');
    if (patientId !== undefined) ids.add(patientId);
  }
  return ids;
}

/**
 * Writes one page of upstream resources (or a full pull's gathered pages; those in their patient's
 * window), then, in the same
 * transaction: the lease's fence, the merge of ADT-admitted records into the page's Patients (same
 * MRN), and `bookkeeping`.
 */
async function writePage(
  deps: ChartMirrorDeps,
  entries: readonly PageEntry[],
  windows: ReadonlyMap<string, number>,
  counters: Counters,
  bookkeeping?: (tx: SqlDatabase) => Promise<void>,
): Promise<void> {
  const { baseUrl } = deps.config;
  // The EHR's copies of documentation this hub sent: an echo writes nothing, a change the EHR made is
  // taken in as a version of the hub's documentation (ehr-copies.ts), never stored under the EHR's id.
  // Sorting them needs the EHR's resources themselves, parsed again only when the page holds one.
  const ehrCopies = (await holdsEhrCopies(
    deps.db,
    entries.map(({ page, index }) => page.key(index)),
  ))
    ? await sortEhrCopies(deps.db, upstreamResources(entries))
    : NO_EHR_COPIES;
  // The hub form of each (made, validated and prepared for the store by the page reader).
  const keep: UpstreamResource[] = [];
  for (const { page, index } of entries) {
    if (!page.isKept(index) || ehrCopies.copies.has(page.key(index))) continue;
    const patientId = page.patientId(index);
    const windowStart = patientId === undefined ? undefined : windows.get(patientId);
    if (windowStart === undefined || !page.isInCareWindow(index, windowStart)) continue;
    keep.push(page.resource(index, baseUrl));
  }
  const ehrChanges = ehrCopies.changes.length + ehrCopies.adopt.length;
  if (keep.length === 0 && ehrChanges === 0 && bookkeeping === undefined) return;
  const result = await writeExternalVersions(
    deps.db,
    keep,
    deps.clock(),
    (incoming, current) => {
      if (current === null) return incoming;
      if (!isFromUpstream(baseUrl, current)) {
        counters.refused++;
        deps.logger.warn(
          { event: 'upstream.id_collision', type: incoming.resourceType },
          'the hub holds its own resource under an upstream id; left as is',
        );
        return null;
      }
      if (current.meta?.source === incoming.source) return null;
      const hubForm = incoming.resource();
      const decided = keepFeedVisit(hubForm, current);
      return decided === hubForm ? incoming : decided;
    },
    async (tx, feed) => {
      await deps.lease.fence(tx);
      const patients = keep.filter((resource) => resource.resourceType === 'Patient').map((resource) => resource.resource() as Patient);
      const mergedInto = patients.length > 0 ? await matchAdmittedPatients(feed, patients, baseUrl) : [];
      counters.merged += mergedInto.length;
      let visitsMerged = 0;
      if ((deps.config.visitNumberSystems ?? []).length > 0) {
        // The page's Encounters, and those of the patients whose ADT records were just merged into them.
        const encounters = keep.filter((resource) => resource.resourceType === 'Encounter').map((resource) => resource.id);
        encounters.push(...(await heldEncounters(feed, mergedInto)));
        visitsMerged = await matchFeedVisits(feed, encounters, baseUrl, deps.logger);
        counters.visitsMerged += visitsMerged;
      }
      // One stay at a time: an EHR Encounter in progress on a ward while the feed holds the
      // patient's stay (another visit, or none mapped) leaves the census (adt one-stay.ts).
      const pageStays = keep.filter((resource) => resource.resourceType === 'Encounter').map((resource) => resource.resource());
      for (const patientId of staysToSettle(pageStays, mergedInto)) await keepOneStay(feed, patientId);
      // Documentation held for a record the EHR did not know may go now: due at the next forward
      // (a patient's merge wakes it in mergePatientRecords, the same as the ADT feed's A40).
      if (visitsMerged > 0) await wakeHeldEntries(tx);
      if (ehrChanges > 0) {
        const taken = await takeInEhrCopies(feed, ehrCopies, baseUrl, deps.clock(), deps.logger);
        counters.written += taken.written;
        counters.refused += taken.refused;
      }
      if (bookkeeping) await bookkeeping(tx);
    },
    letEventsIn,
  );
  counters.written += result.written;
  counters.refused += result.invalid.length;
  for (const problem of result.invalid) {
    deps.logger.warn(
      { event: 'upstream.resource_invalid', type: problem.type, path: problem.path },
      'an upstream resource is not valid for the hub; left out',
    );
  }
}

/**
 * The full pull of patients new to the ward: Patient/$everything each, or a search per chart type
 * for up to PATIENTS_PER_SEARCH of them at a time.
 */
async function pullPatients(
  deps: ChartMirrorDeps,
  capabilities: UpstreamCapabilities,
  windows: ReadonlyMap<string, number>,
  counters: Counters,
): Promise<void> {
  const pageSize = deps.config.pageSize;
  // Pages gathered up to FULL_PULL_BATCH resources, then written together. Nothing here needs a
  // page written before the next is asked for: the patients are recorded as pulled only once all
  // of it is written, and a pull that stops halfway is done again (a re-read writes nothing).
  let gathered: PageEntry[] = [];
  const gather = async (page: UpstreamPage): Promise<void> => {
    for (let index = 0; index < page.size; index++) gathered.push({ page, index });
    if (gathered.length >= FULL_PULL_BATCH) await flush();
  };
  const flush = async (): Promise<void> => {
    // A resource met twice (an upstream change between two pages): its later form is the one kept.
    const batch = new Map(gathered.map((entry) => [entry.page.key(entry.index), entry]));
    gathered = [];
    if (batch.size > 0) await writePage(deps, [...batch.values()], windows, counters);
  };
  const queries: string[] = [];
  if (capabilities.everything) {
    for (const patientId of windows.keys()) queries.push(`Patient/${encodeURIComponent(patientId)}/$everything?_count=${pageSize}`);
  } else {
    for (const group of chunked([...windows.keys()], PATIENTS_PER_SEARCH)) {
      for (const { type, patientParam } of MIRRORED_TYPES) {
        if (!capabilities.searchable.has(type)) continue;
        const values = group.map((id) => patientValue(patientParam, id)).join(',');
        queries.push(`${type}?${patientParam}=${values}&_count=${pageSize}`);
      }
    }
  }
  // The next pages asked for (and read on the page worker) while a batch is written, and searches
  // side by side: the order between them does not matter here, and the hub then always has a page
  // read while the upstream prepares the next.
  await deps.client.searchPages(queries, deps.pages, gather, {
    searchesAtOnce: FULL_PULL_SEARCHES_AT_ONCE,
    pagesAhead: FULL_PULL_PAGES_AHEAD,
  });
  await flush();
}

/** The patient as a search value: the id for Patient's `_id`, a `Patient/{id}` reference otherwise. */
function patientValue(patientParam: string, patientId: string): string {
  return encodeURIComponent(patientParam === '_id' ? patientId : `Patient/${patientId}`);
}

async function saveCursor(tx: SqlDatabase, ward: string, type: string, lastUpdated: string): Promise<void> {
  await tx.execute(
    `INSERT INTO upstream_cursors (ward, res_type, last_updated) VALUES ($1, $2, $3)
     ON CONFLICT (ward, res_type) DO UPDATE SET last_updated = excluded.last_updated`,
    [ward, type, lastUpdated],
  );
}

/** One type's changes since its cursor, for the mirrored patients; the cursor moves with the writes. */
async function pullChanges(
  deps: ChartMirrorDeps,
  ward: string,
  type: string,
  patientParam: string,
  since: number,
  windows: ReadonlyMap<string, number>,
  counters: Counters,
): Promise<void> {
  const ids = [...windows.keys()];
  const groups = chunked(ids, PATIENTS_PER_SEARCH);
  let reached = since;
  const sinceText = new Date(Math.max(0, since - deps.config.overlapMs)).toISOString();
  for (const group of groups) {
    const query =
      `${type}?${patientParam}=${group.map((id) => patientValue(patientParam, id)).join(',')}&_lastUpdated=ge${encodeURIComponent(sinceText)}` +
      `&_sort=_lastUpdated&_count=${deps.config.pageSize}`;
    await deps.client.searchPages([query], deps.pages, async (page) => {
      for (let index = 0; index < page.size; index++) {
        const at = page.lastUpdatedMs(index);
        if (Number.isFinite(at) && at > reached) reached = at;
      }
      // With one search the pages come in _lastUpdated order, so the cursor may move page by page.
      const cursor = new Date(reached).toISOString();
      await writePage(
        deps,
        entriesOf(page),
        windows,
        counters,
        groups.length === 1 ? (tx) => saveCursor(tx, ward, type, cursor) : undefined,
      );
    });
  }
  await saveCursor(deps.db, ward, type, new Date(reached).toISOString());
}

/** One cycle of one ward's mirror. */
export async function mirrorWard(deps: ChartMirrorDeps, capabilities: UpstreamCapabilities, ward: UpstreamWard): Promise<WardCycleResult> {
  const counters: Counters = { written: 0, refused: 0, merged: 0, visitsMerged: 0 };
  const { census, upstreamNow } = await readCensus(deps, ward);
  const known = new Map(
    (
      await deps.db.query<{ patient_id: string; window_start_ms: number }>(
        'SELECT patient_id, window_start_ms FROM upstream_patients WHERE ward = $1',
        [ward.ward],
      )
    ).map((row) => [row.patient_id, Number(row.window_start_ms)]),
  );
  const nowIso = new Date(upstreamNow).toISOString();
  const windows = new Map(known);
  const fresh = new Map<string, number>();
  for (const [patientId, entry] of census) {
    if (!known.has(patientId)) fresh.set(patientId, cacheWindowStartMs(entry.admission, deps.config.daysBeforeAdmission, nowIso));
  }
  if (fresh.size > 0) {
    await pullPatients(deps, capabilities, fresh, counters);
    for (const [patientId, windowStart] of fresh) {
      windows.set(patientId, windowStart);
      await deps.db.execute(
        `INSERT INTO upstream_patients (ward, patient_id, window_start_ms, pulled_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (ward, patient_id) DO UPDATE SET window_start_ms = excluded.window_start_ms, pulled_at = excluded.pulled_at`,
        [ward.ward, patientId, windowStart, deps.clock().toISOString()],
      );
    }
  }
  if (windows.size > 0) {
    const cursors = new Map(
      (
        await deps.db.query<{ res_type: string; last_updated: string }>(
          'SELECT res_type, last_updated FROM upstream_cursors WHERE ward = $1',
          [ward.ward],
        )
      ).map((row) => [row.res_type, Date.parse(row.last_updated)]),
    );
    for (const { type, patientParam } of MIRRORED_TYPES) {
      if (!capabilities.searchable.has(type)) continue;
      // A type without a cursor starts at the census' upstream time: what came before, the full pulls have.
      await pullChanges(deps, ward.ward, type, patientParam, cursors.get(type) ?? upstreamNow, windows, counters);
    }
  }
  let deleted = 0;
  if (windows.size > 0 && (await sweepDue(deps, ward.ward)))
    deleted = await sweepDeletions(deps, capabilities, ward.ward, [...windows.keys()]);
  for (const patientId of known.keys()) {
    if (!census.has(patientId))
      await deps.db.execute('DELETE FROM upstream_patients WHERE ward = $1 AND patient_id = $2', [ward.ward, patientId]);
  }
  return {
    patients: census.size,
    written: counters.written,
    refused: counters.refused,
    deleted,
    merged: counters.merged,
    visitsMerged: counters.visitsMerged,
  };
}

export type { ChartMirrorDeps, UpstreamCapabilities } from './mirror-context.js';
