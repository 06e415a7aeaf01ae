// Documentation sent back upstream. The feeder reads the hub's version log from its cursor and
// queues, in the same transaction as the cursor, each version of what workstations documented:
// Observations and MedicationAdministrations that carry a workstation's client id, and the
// Provenances about them (never anything the mirror brought from upstream). The sender forwards the
// queue in order: a first version as a conditional create on the client id (If-None-Exist), so a
// retry after a lost answer never makes a second copy; a later version (a correction) as an update of
// the upstream's copy; a Provenance once its targets are acknowledged, with its targets pointed at the
// upstream's copies. A later version names the EHR's version the hub last knew in If-Match: an EHR
// that changed its copy meanwhile answers 412, and the entry is held as a conflict (below) instead of
// overwriting the EHR's change. An outage leaves the entry waiting (retried with backoff); a refusal is kept with
// the upstream's reason for IT and never dropped. A later version naming another patient than the
// version the EHR holds is refused the same way (documentation never moves to another chart). A first version the EHR contradicts (a changed
// order, an ended stay) is held as a conflict, and the hub writes a version of the documentation
// tagged with the conflict and holding the EHR's resource, which the ward's workstations sync and
// show on their conflicts screen. The user's decision comes back as a later version: without the tag
// it is sent (and the conflict is settled); tagged "withheld" it settles the conflict, sending nothing
// (nor the Provenances of a withheld version), and the EHR's copy of a 412 conflict is taken in at
// once in the feeder's transaction (ehr-copies.ts). A decision is never sent over an EHR copy the EHR
// withdrew as entered in error (refused for IT, RETRACTED_RECORD): entered in error is final.
// The wards that held the stay follow the held documentation (server/fhir ward-followed), so the
// conflict and its settlement reach their workstations even after the patient left the ward.
// Documentation goes on the EHR's records: references to records the hub matched with the EHR's are
// translated at send time, and documentation about a patient or stay the EHR does not know yet is
// held (state `held`, with the reason) until the mirror matches them (upstream-references.ts): looked
// at again after a backoff that grows with the entry's age, and at once after a merge (the mirror's
// match or the ADT feed's A40). IT may put an entry back or close it (outbox-actions.ts): a closed
// entry is never sent, nor the Provenances about it, and a later version of it is refused for IT.
import type { Logger } from 'pino';
import {
  changeOfRetracted,
  CLIENT_ID_SYSTEM,
  isUpstreamWithheld,
  RETRACTED_IN_EHR_MESSAGE,
  UPSTREAM_CONFLICT_REASONS,
  UPSTREAM_CONFLICT_TAG_SYSTEM,
  upstreamConflictOfVersion,
  patientIdOf,
  referenceId,
  withoutUpstreamMarks,
  type Provenance,
  type Reference,
  type Resource,
  type UpstreamConflictCode,
} from '../../../shared/fhir/index.js';
import {
  feedTransaction,
  followOnWards,
  survivingPatient,
  versionContentSql,
  wardsThatHeld,
  writesInTransaction,
} from '../../fhir/index.js';
import type { SqlDatabase } from '../../storage/index.js';
import { keptEhrCopy, takeInKeptEhrCopy } from './ehr-copies.js';
import { UpstreamError } from './upstream-error.js';
import type { UpstreamClient } from './upstream-client.js';
import { upstreamConflictOf } from './upstream-conflict.js';
import { isFromUpstream } from './upstream-resource.js';
import type { UpstreamVisitSystem } from './upstream-config.js';
import { onEhrRecords } from './upstream-references.js';

export const SENT_BACK_TYPES = ['Observation', 'MedicationAdministration'] as const;
/** Tag system marking a Provenance sent upstream with the hub's id (its If-None-Exist). */
export const HUB_PROVENANCE_TAG_SYSTEM = 'urn:wardline:hub-provenance';
const FEED_BATCH = 500;
const SEND_BATCH = 200;
/** The longest a held entry waits between two looks when no match wakes it first. */
const HELD_MAX_BACKOFF_MS = 60 * 60_000;

function clientIdOf(resource: Resource): string | undefined {
  const identifiers = (resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
  return identifiers.find((identifier) => identifier.system === CLIENT_ID_SYSTEM && typeof identifier.value === 'string')?.value;
}

function targetsDocumentation(provenance: Provenance): boolean {
  return (provenance.target ?? []).some((target) => SENT_BACK_TYPES.some((type) => target.reference?.startsWith(`${type}/`)));
}

function isSentBack(resource: Resource, baseUrl: string): boolean {
  if (isFromUpstream(baseUrl, resource)) return false;
  if (resource.resourceType === 'Provenance') return targetsDocumentation(resource);
  return (SENT_BACK_TYPES as readonly string[]).includes(resource.resourceType) && clientIdOf(resource) !== undefined;
}

/** Queues the versions written since the feeder's cursor; returns how many it queued. */
export async function feedOutbox(
  db: SqlDatabase,
  baseUrl: string,
  now: Date,
  fence: (tx: SqlDatabase) => Promise<void> = () => Promise.resolve(),
): Promise<number> {
  let queued = 0;
  for (;;) {
    const more = await db.transaction((tx) =>
      writesInTransaction(tx, now, async (writer) => {
        await fence(tx);
        const cursor = Number(
          (await tx.query<{ last_seq: number }>('SELECT last_seq FROM upstream_outbox_cursor WHERE id = 1'))[0]?.last_seq ?? 0,
        );
        const rows = await tx.query<{ seq: number; res_type: string; res_id: string; version: number; content: string | null }>(
          `SELECT v.seq, v.res_type, v.res_id, v.version, ${versionContentSql('v')} AS content FROM fhir_versions v
         WHERE v.seq > $1 AND v.res_type IN ('Observation', 'MedicationAdministration', 'Provenance') AND v.deleted = 0 ORDER BY v.seq LIMIT ${FEED_BATCH}`,
          [cursor],
        );
        let last = cursor;
        // Versions that already have an entry: the EHR's changes the mirror took in (`received`), never sent back.
        const entered = new Set(
          rows.length === 0
            ? []
            : (
                await tx.query<{ seq: number }>('SELECT seq FROM upstream_outbox WHERE seq > $1 AND seq <= $2', [
                  cursor,
                  Number(rows[rows.length - 1]!.seq),
                ])
              ).map((row) => Number(row.seq)),
        );
        for (const row of rows) {
          last = Number(row.seq);
          if (entered.has(last)) continue;
          const resource = row.content ? (JSON.parse(row.content) as Resource) : null;
          if (!resource || !isSentBack(resource, baseUrl)) continue;
          // The hub's own record of a conflict: never sent.
          if (upstreamConflictOfVersion(resource) !== null) continue;
          // A user settled a conflict as "the EHR is right": the conflict is settled, nothing is sent,
          // and the EHR's copy the users saw (when the EHR changed its copy of this documentation) is
          // taken in at once as the hub's version.
          if (isUpstreamWithheld(resource)) {
            const kept = await keptEhrCopy(tx, row.res_type, row.res_id);
            if ((await settleConflicts(tx, row.res_type, row.res_id, 'withheld', now)) > 0) {
              if (kept !== null)
                await takeInKeptEhrCopy(writer, kept, { type: row.res_type, id: row.res_id, version: Number(row.version) }, baseUrl, now);
              continue;
            }
          }
          await tx.execute(
            `INSERT INTO upstream_outbox (seq, res_type, res_id, version, state, queued_at) VALUES ($1, $2, $3, $4, 'pending', $5)`,
            [last, row.res_type, row.res_id, Number(row.version), now.toISOString()],
          );
          queued++;
        }
        // Versions of other types after the last row read are skipped by the next query's seq too.
        if (rows.length < FEED_BATCH) {
          const top = Number((await tx.query<{ last_seq: number }>('SELECT last_seq FROM fhir_clock WHERE id = 1'))[0]?.last_seq ?? last);
          last = Math.max(last, top);
        }
        await tx.execute('UPDATE upstream_outbox_cursor SET last_seq = $1 WHERE id = 1', [last]);
        return rows.length === FEED_BATCH;
      }),
    );
    if (!more) return queued;
  }
}

/** Marks the conflicts held for a resource as settled by a user (`state`); returns how many. */
async function settleConflicts(db: SqlDatabase, type: string, id: string, state: 'withheld' | 'settled', now: Date): Promise<number> {
  const held = await db.query<{ seq: number }>(
    `SELECT seq FROM upstream_outbox WHERE res_type = $1 AND res_id = $2 AND state = 'conflict'`,
    [type, id],
  );
  if (held.length === 0) return 0;
  await db.execute(`UPDATE upstream_outbox SET state = $3, settled_at = $4 WHERE res_type = $1 AND res_id = $2 AND state = 'conflict'`, [
    type,
    id,
    state,
    now.toISOString(),
  ]);
  return held.length;
}

interface OutboxRow {
  seq: number;
  res_type: string;
  res_id: string;
  version: number;
  attempts: number;
}

export interface OutboxSendResult {
  readonly sent: number;
  readonly refused: number;
  /** Held as conflicts with the EHR (a changed order, an ended encounter). */
  readonly conflicts: number;
  readonly waiting: number;
  /** Held until the mirror matches the patient or stay they name with the EHR's. */
  readonly held: number;
}

/** The upstream form of a hub resource: no hub id or meta (the upstream assigns its own). */
function upstreamBody(resource: Resource): Resource {
  const { id: _id, meta: _meta, ...rest } = withoutUpstreamMarks(resource) as Resource & Record<string, unknown>;
  return rest as unknown as Resource;
}

async function acknowledgedRef(
  db: SqlDatabase,
  type: string,
  id: string,
  before: number,
): Promise<{
  ref: string | null;
  queued: boolean;
  refused: boolean;
  pending: boolean;
  withheld: boolean;
  aboutWithheld: boolean;
  aboutConflict: boolean;
  closed: number | null;
}> {
  const rows = await db.query<{ seq: number; state: string; upstream_ref: string | null }>(
    'SELECT seq, state, upstream_ref FROM upstream_outbox WHERE res_type = $1 AND res_id = $2 ORDER BY seq',
    [type, id],
  );
  // The version the Provenance records: the newest one queued before it (written with it, or earlier).
  const about = rows.filter((row) => Number(row.seq) < before).pop();
  return {
    aboutWithheld: about?.state === 'withheld',
    aboutConflict: about?.state === 'conflict',
    queued: rows.length > 0,
    ref: rows.find((row) => row.upstream_ref !== null)?.upstream_ref ?? null,
    refused: rows.some((row) => row.state === 'refused'),
    pending: rows.some((row) => row.state === 'pending' || row.state === 'held'),
    withheld: rows.some((row) => row.state === 'withheld'),
    closed: rows.find((row) => row.state === 'closed')?.seq ?? null,
  };
}

/** The EHR's copy as the EHR answered: where, and at which version (for the next If-Match and the echo). */
interface EhrCopy {
  ref: string;
  version?: string | undefined;
  lastUpdated?: string | undefined;
}

type Outcome =
  | ({ kind: 'sent' } & EhrCopy)
  | { kind: 'refused'; reason: string }
  | { kind: 'conflict'; code: UpstreamConflictCode; reason: string; ehrResource: Resource; ehrCopy?: EhrCopy }
  | { kind: 'withheld' }
  | { kind: 'held'; reason: string }
  | { kind: 'closed'; reason: string }
  | { kind: 'wait' };

/** Where the EHR's records are told apart from the hub's: the EHR's base and the mapped visit systems. */
export interface EhrRecords {
  readonly baseUrl: string;
  readonly visitSystems: readonly UpstreamVisitSystem[];
}

async function forward(
  db: SqlDatabase,
  client: UpstreamClient,
  row: OutboxRow,
  resource: Resource,
  ehr: EhrRecords,
  /** Renews the leader lease; run just before the EHR is asked anything on the entry's behalf. */
  beforeSend: () => Promise<void>,
): Promise<Outcome> {
  const earlier = await db.query<{ state: string; upstream_ref: string | null; upstream_version: string | null; version: number }>(
    'SELECT state, upstream_ref, upstream_version, version FROM upstream_outbox WHERE res_type = $1 AND res_id = $2 AND seq < $3 ORDER BY seq',
    [row.res_type, row.res_id, row.seq],
  );
  if (earlier.some((e) => e.state === 'pending' || e.state === 'held')) return { kind: 'wait' };
  if (earlier.some((e) => e.state === 'refused'))
    return { kind: 'refused', reason: 'an earlier version of this resource was refused (see its reason)' };
  // IT recorded an earlier version in the EHR by hand: this one cannot update a copy the hub never
  // made, and a create would make a second record there. Kept for IT, like a refusal.
  if (earlier.some((e) => e.state === 'closed') && !earlier.some((e) => e.upstream_ref !== null))
    return {
      kind: 'refused',
      reason:
        'an earlier version of this resource was closed by IT (recorded in the EHR by hand): record this version there too, then close this entry',
    };
  const upstreamRef = earlier.find((e) => e.upstream_ref !== null)?.upstream_ref ?? null;
  // The EHR's copy as the hub last knew it: its answer to the hub's last write, the change the mirror
  // took in since, or the copy a user saw in a conflict and settled.
  const known = [...earlier].reverse().find((e) => e.upstream_ref !== null);
  if (known !== undefined && resource.resourceType !== 'Provenance') {
    const moved = await movedFromSentPatient(db, row, Number(known.version), resource);
    if (moved !== null) return { kind: 'refused', reason: moved };
  }

  if (resource.resourceType === 'Provenance') {
    const targets: Reference[] = [];
    for (const target of resource.target ?? []) {
      const [type, id] = (target.reference ?? '').split('/');
      if (!type || !id || !(SENT_BACK_TYPES as readonly string[]).includes(type)) {
        targets.push(target);
        continue;
      }
      const ack = await acknowledgedRef(db, type, id, Number(row.seq));
      // The feeder queues documentation before the Provenance about it (a lower seq), or never: the
      // EHR's own, or documentation without the workstation's client id, which cannot be sent exactly
      // once. Waiting for it would hold this entry, and every entry after it, for ever.
      if (!ack.queued) {
        return {
          kind: 'refused',
          reason: `its target ${type}/${id} is not sent to the EHR: it came from the EHR, or carries no client identifier (${CLIENT_ID_SYSTEM}) to send it exactly once; it stays at the hub`,
        };
      }
      if (ack.ref === null && ack.refused) return { kind: 'refused', reason: `its target ${type} was refused upstream` };
      // Its documentation was kept from the EHR by a user's decision: so is the record of who wrote it,
      // or of who decided (a later version held when the EHR changed its copy, then kept out of it).
      if ((ack.ref === null && ack.withheld && !ack.pending) || ack.aboutWithheld) return { kind: 'withheld' };
      // The version it records is held as a conflict (the EHR changed its copy): it waits for the users' decision.
      if (ack.aboutConflict) return { kind: 'wait' };
      // IT closed its documentation (recorded in the EHR by hand): the record of who wrote it goes with it.
      if (ack.ref === null && ack.closed !== null && !ack.pending)
        return { kind: 'closed', reason: `closed with its target ${type} (entry ${ack.closed}), which IT closed` };
      if (ack.ref === null) return { kind: 'wait' };
      targets.push({ ...target, reference: ack.ref });
    }
    const form = await onEhrRecords(db, { ...resource, target: targets }, ehr.baseUrl, ehr.visitSystems);
    if (form.kind === 'held') return form;
    const tag = { system: HUB_PROVENANCE_TAG_SYSTEM, code: row.res_id };
    const body = { ...upstreamBody(form.resource), meta: { tag: [tag] } } as Provenance;
    await beforeSend();
    const result = upstreamRef
      ? await client.update(upstreamRef, { ...body, id: upstreamRef.split('/')[1] ?? '' } as Resource)
      : await client.create('Provenance', body, `_tag=${HUB_PROVENANCE_TAG_SYSTEM}|${row.res_id}`);
    return { kind: 'sent', ref: result.reference, version: result.version, lastUpdated: result.lastUpdated };
  }
  // On the EHR's records, or held until the mirror matches the patient or stay it names.
  const form = await onEhrRecords(db, resource, ehr.baseUrl, ehr.visitSystems);
  if (form.kind === 'held') return form;
  await beforeSend();
  // A first version meets the EHR's current state: a changed order or an ended encounter holds it as
  // a conflict. A later version after a conflict is the user's decision and is sent.
  if (earlier.length === 0) {
    const conflict = await upstreamConflictOf(client, form.resource);
    if (conflict !== null) return { kind: 'conflict', ...conflict, reason: `${conflict.code}: ${conflict.reason}` };
  }
  const clientId = clientIdOf(resource);
  if (clientId === undefined)
    return { kind: 'refused', reason: 'this version lost its client identifier, so the upstream copy cannot be found' };
  if (upstreamRef === null) {
    const created = await client.create(row.res_type, upstreamBody(form.resource), `identifier=${CLIENT_ID_SYSTEM}|${clientId}`);
    return { kind: 'sent', ref: created.reference, version: created.version, lastUpdated: created.lastUpdated };
  }
  // A decision after a conflict with the EHR goes on the EHR's version the users saw: one the EHR
  // withdrew as entered in error is final, and no version is sent over it (the hub's write policy
  // refuses a workstation's such version; this guards versions stored outside it).
  if (earlier.some((e) => e.state === 'conflict')) {
    const withdrawn = await withdrawnAtEhr(client, upstreamRef, form.resource);
    if (withdrawn !== null) return { kind: 'refused', reason: withdrawn };
  }
  return updateEhrCopy(client, upstreamRef, upstreamBody(form.resource), known?.upstream_version ?? undefined);
}

/** Why `resource` may not be sent over the EHR's copy at `ref`: the EHR withdrew that copy (entered in error). Null otherwise. */
async function withdrawnAtEhr(client: UpstreamClient, ref: string, resource: Resource): Promise<string | null> {
  const ehr = (await client.read(ref)).body as Resource | null;
  if (ehr?.resourceType !== resource.resourceType || changeOfRetracted(ehr, resource) === null) return null;
  return `RETRACTED_RECORD: ${RETRACTED_IN_EHR_MESSAGE}`;
}

/**
 * A later version as an update of the EHR's copy, version-aware: If-Match names the EHR's version the
 * hub last knew. A 412 means the EHR changed its copy since (marked it in error, corrected it): the
 * EHR's copy is not overwritten, and the entry is held as a conflict the ward settles, showing the
 * EHR's copy, unless the EHR's copy already is this version (the hub's own update, whose answer was lost).
 * An entry acknowledged before the hub recorded the EHR's versions has none to name: sent without.
 */
async function updateEhrCopy(client: UpstreamClient, ref: string, body: Resource, ifMatch: string | undefined): Promise<Outcome> {
  const id = ref.split('/')[1] ?? '';
  try {
    const result = await client.update(ref, { ...body, id } as Resource, ifMatch);
    return { kind: 'sent', ref: result.reference, version: result.version, lastUpdated: result.lastUpdated };
  } catch (error) {
    if (!(error instanceof UpstreamError && error.code === 'REFUSED' && error.status === 412 && ifMatch !== undefined)) throw error;
  }
  const ehr = (await client.read(ref)).body as Resource | null;
  if (ehr?.resourceType !== body.resourceType)
    throw new UpstreamError('BAD_RESPONSE', 'The upstream server answered a read with another resource.');
  const copy = { ref, version: ehr.meta?.versionId, lastUpdated: ehr.meta?.lastUpdated };
  if (sameContent(ehr, { ...body, id } as Resource)) return { kind: 'sent', ...copy };
  return {
    kind: 'conflict',
    code: 'UPSTREAM_DOCUMENTATION_CHANGED',
    reason: `UPSTREAM_DOCUMENTATION_CHANGED: ${UPSTREAM_CONFLICT_REASONS.UPSTREAM_DOCUMENTATION_CHANGED} (HTTP 412 on If-Match)`,
    ehrResource: ehr,
    ehrCopy: copy,
  };
}

/** Whether two resources hold the same content, whatever their meta and key order. */
function sameContent(a: Resource, b: Resource): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([key]) => key !== 'meta')
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([key, v]) => [key, canonical(v)]),
          )
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Why a later version cannot be sent as an update of the EHR's copy: it names another patient than
 * the version the EHR already holds (documentation never moves between charts; a record about the
 * wrong patient is marked entered in error and documented again). Null when it keeps that patient.
 */
async function movedFromSentPatient(db: SqlDatabase, row: OutboxRow, sentVersion: number, resource: Resource): Promise<string | null> {
  const sent = await db.query<{ patient_id: string | null }>(
    'SELECT patient_id FROM fhir_versions WHERE res_type = $1 AND res_id = $2 AND version = $3',
    [row.res_type, row.res_id, sentVersion],
  );
  if (sent.length === 0) return `version ${sentVersion}, the one the EHR holds, is no longer in the hub store to compare patients with`;
  // Both on the patient that stands for them now: a merge (the feed's patient into the EHR's) is no move.
  const surviving = (patientId: string | null | undefined): Promise<string | null> =>
    patientId === null || patientId === undefined ? Promise.resolve(null) : survivingPatient(db, patientId);
  if ((await surviving(sent[0]!.patient_id)) === (await surviving(patientIdOf(resource)))) return null;
  return `this version names another patient than version ${sentVersion}, the one the EHR holds: documentation is never moved to another patient's chart (mark it entered in error and document it again)`;
}

/** The EHR's resource as the hub keeps it inside the documentation: its content, without the EHR's meta. */
function containedCopy(ehrResource: Resource): Resource {
  const { meta: _meta, ...rest } = ehrResource as Resource & Record<string, unknown>;
  return rest as unknown as Resource;
}

/**
 * Holds an entry as a conflict, and (when the entry is still the documentation's current version)
 * writes the version the ward's workstations sync: the documentation tagged with the conflict's code,
 * the EHR's resource contained, in one transaction with the entry's state and the lease's fence.
 */
async function holdConflict(
  db: SqlDatabase,
  row: OutboxRow,
  conflict: Extract<Outcome, { kind: 'conflict' }>,
  now: Date,
  fence: (tx: SqlDatabase) => Promise<void>,
): Promise<void> {
  await feedTransaction(db, now, async (writer) => {
    await fence(writer.tx);
    const held = await writer.tx.execute(
      `UPDATE upstream_outbox SET state = 'conflict', attempts = attempts + 1, reason = $2, settled_at = $3,
         upstream_ref = $4, upstream_version = $5, upstream_updated = $6 WHERE seq = $1 AND ${STILL_OPEN}`,
      [
        row.seq,
        conflict.reason,
        now.toISOString(),
        // The EHR's copy the users see in the conflict: a decision to send anyway updates that version.
        conflict.ehrCopy?.ref ?? null,
        conflict.ehrCopy?.version ?? null,
        conflict.ehrCopy?.lastUpdated ?? null,
      ],
    );
    // IT closed it meanwhile (wardline-hub upstream close): its word stands.
    if (held.changes === 0) return;
    const current = await writer.read(row.res_type as Resource['resourceType'], row.res_id);
    // A newer version is already the user's word on it (it is queued behind this entry): nothing to show.
    if (current === null || current.version !== Number(row.version)) return;
    const documented = withoutUpstreamMarks(current.resource);
    const tag = [...(documented.meta?.tag ?? []), { system: UPSTREAM_CONFLICT_TAG_SYSTEM, code: conflict.code }];
    const contained = [...((documented as { contained?: Resource[] }).contained ?? []), containedCopy(conflict.ehrResource)];
    await writer.put({ ...documented, meta: { ...documented.meta, tag }, contained } as Resource);
    // The wards that held the stay keep seeing this documentation's versions until (and after) it is settled.
    const stay = documented as { encounter?: Reference; context?: Reference };
    const encounterId = referenceId(
      (documented.resourceType === 'MedicationAdministration' ? stay.context : stay.encounter)?.reference,
      'Encounter',
    );
    const wards = await wardsThatHeld(writer.tx, encounterId ?? null, patientIdOf(documented) ?? null);
    await followOnWards(writer.tx, row.res_type, row.res_id, wards);
  });
}

/**
 * The sender's writes of an entry's outcome apply only while the entry is still waiting or held: IT
 * may have closed it from the command line while it was being looked at (a delivery is recorded
 * whatever: the EHR has it).
 */
const STILL_OPEN = `state IN ('pending', 'held')`;

/** Backoff after the n-th failed attempt: 2 s doubling, at most `maxMs`. */
function backoffMs(attempts: number, maxMs: number): number {
  return Math.min(maxMs, 2000 * 2 ** Math.min(attempts, 20));
}

/**
 * When a held entry is looked at again: after as long as it has been queued (so the looks double
 * apart, from 2 s to at most HELD_MAX_BACKOFF_MS), unless a merge wakes it first (held-entries.ts).
 */
function heldBackoffMs(queuedAt: string, now: Date): number {
  const age = now.getTime() - Date.parse(queuedAt);
  return Math.min(HELD_MAX_BACKOFF_MS, Math.max(2000, Number.isFinite(age) ? age : 0));
}

/**
 * Forwards due entries in queue order (and tries again those held for an unmatched patient or stay).
 * Stops at the first outage (the rest waits, in order) and throws it after recording the attempt, so
 * the caller reports it.
 */
export async function sendOutbox(
  db: SqlDatabase,
  client: UpstreamClient,
  now: () => Date,
  logger: Logger,
  maxBackoffMs: number,
  ehr: EhrRecords,
  /**
   * The leader lease's renewal on a database handle (or a transaction): run before each batch of
   * due entries, again just before the EHR is asked anything for an entry, and inside the transaction
   * that records a conflict (not for entries that are held or wait); throws to stop.
   */
  fence: (tx: SqlDatabase) => Promise<void> = () => Promise.resolve(),
): Promise<OutboxSendResult> {
  let sent = 0;
  let refused = 0;
  let conflicts = 0;
  let waiting = 0;
  let held = 0;
  // Every due entry, a batch at a time: entries that wait or are held never keep later ones from their turn.
  for (let after = -1; ;) {
    await fence(db);
    const rows = await db.query<OutboxRow & { state: string; queued_at: string }>(
      `SELECT seq, res_type, res_id, version, attempts, state, queued_at FROM upstream_outbox
       WHERE state IN ('pending', 'held') AND next_attempt_ms <= $1 AND seq > $2 ORDER BY seq LIMIT ${SEND_BATCH}`,
      [now().getTime(), after],
    );
    for (const row of rows) {
      after = Number(row.seq);
      const outcome = await sendEntry(row);
      if (outcome === 'wait') waiting++;
      else if (outcome === 'held') held++;
    }
    if (rows.length < SEND_BATCH) break;
  }
  return { sent, refused, conflicts, waiting, held };

  async function sendEntry(row: OutboxRow & { state: string; queued_at: string }): Promise<Outcome['kind']> {
    const stored = await db.query<{ content: string | null }>(
      `SELECT ${versionContentSql('v')} AS content FROM fhir_versions v WHERE v.res_type = $1 AND v.res_id = $2 AND v.version = $3`,
      [row.res_type, row.res_id, row.version],
    );
    const content = stored[0]?.content;
    let outcome: Outcome;
    try {
      outcome = content
        ? await forward(db, client, row, JSON.parse(content) as Resource, ehr, () => fence(db))
        : { kind: 'refused', reason: 'the version is no longer in the hub store' };
    } catch (error) {
      if (error instanceof UpstreamError && error.code === 'REFUSED') {
        outcome = { kind: 'refused', reason: error.message };
      } else {
        const message = error instanceof UpstreamError ? error.message : 'unexpected failure';
        await db.execute(
          `UPDATE upstream_outbox SET attempts = attempts + 1, next_attempt_ms = $2, reason = $3 WHERE seq = $1 AND ${STILL_OPEN}`,
          [row.seq, now().getTime() + backoffMs(row.attempts, maxBackoffMs), message],
        );
        throw error;
      }
    }
    if (outcome.kind === 'wait') return outcome.kind;
    if (outcome.kind === 'held') {
      // Not an attempt: nothing was sent. Kept with its current reason (a patient matched since may
      // leave its stay holding it) for `upstream status`; looked at again after a growing backoff,
      // or at once when a merge matches a record (held-entries.ts wakeHeldEntries).
      const at = now();
      await db.execute(`UPDATE upstream_outbox SET state = 'held', reason = $2, next_attempt_ms = $3 WHERE seq = $1 AND ${STILL_OPEN}`, [
        row.seq,
        outcome.reason,
        at.getTime() + heldBackoffMs(row.queued_at, at),
      ]);
      return outcome.kind;
    }
    if (outcome.kind === 'sent') {
      await db.transaction(async (tx) => {
        await tx.execute(
          `UPDATE upstream_outbox SET state = 'sent', attempts = attempts + 1, upstream_ref = $2, reason = NULL, settled_at = $3,
             upstream_version = $4, upstream_updated = $5 WHERE seq = $1`,
          [row.seq, outcome.ref, now().toISOString(), outcome.version ?? null, outcome.lastUpdated ?? null],
        );
        // A later version of documentation held as a conflict is the user's decision: once sent, settled.
        await settleConflicts(tx, row.res_type, row.res_id, 'settled', now());
      });
      sent++;
    } else if (outcome.kind === 'withheld') {
      await db.execute(
        `UPDATE upstream_outbox SET state = 'withheld', attempts = attempts + 1, settled_at = $2 WHERE seq = $1 AND ${STILL_OPEN}`,
        [row.seq, now().toISOString()],
      );
    } else if (outcome.kind === 'closed') {
      const at = now().toISOString();
      await db.execute(
        `UPDATE upstream_outbox SET state = 'closed', close_reason = $2, closed_at = $3, settled_at = $3 WHERE seq = $1 AND ${STILL_OPEN}`,
        [row.seq, outcome.reason, at],
      );
    } else if (outcome.kind === 'conflict') {
      await holdConflict(db, row, outcome, now(), fence);
      logger.warn({ event: 'upstream.outbox_conflict', type: row.res_type, seq: row.seq }, 'documentation conflicts with the EHR; held');
      conflicts++;
    } else {
      await db.execute(
        `UPDATE upstream_outbox SET state = 'refused', attempts = attempts + 1, reason = $2, settled_at = $3 WHERE seq = $1 AND ${STILL_OPEN}`,
        [row.seq, outcome.reason, now().toISOString()],
      );
      logger.warn(
        { event: 'upstream.outbox_refused', type: row.res_type, seq: row.seq },
        'the upstream refused documentation; kept for IT',
      );
      refused++;
    }
    return outcome.kind;
  }
}
