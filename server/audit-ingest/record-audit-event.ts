// Ingests AuditEvents a device uploaded (a batch's run of them, or one, inside the caller's
// transaction): exactly once by their client-assigned ids, attributed to the uploading device,
// checked against the device's hash chain. The hub recomputes each entry's hash from the hashed
// entry the event carries (audit-entry-body.ts) instead of trusting the hash it was sent. Problems
// with the chain (a link, a signed checkpoint, or content that does not hash to the hash sent) are
// flagged, never silently dropped: the event is stored anyway, because it is evidence. An event
// without its hashed entry is refused: nothing in it could be checked.
//
// A run of events is checked as if they arrived one after another, but what the checks read is
// fetched once per run (the ids already held, the chain positions around the run's sequences, the
// signed checkpoints) and kept up to date in memory as the run's events are inserted, and the
// device's chain head is moved once at the end: a workstation uploads hundreds at a time.
import type { FastifyBaseLogger } from 'fastify';
import type { Principal } from '../identity/index.js';
import { chunked, rowsPlaceholders, SqlParams, type SqlDatabase } from '../storage/index.js';
import { GENESIS_PREVIOUS_HASH } from '../../shared/auth/index.js';
import { auditEventOutsideShape, auditOutcomeDescriptionOf } from '../../shared/fhir/index.js';
import { AuditIngestError } from './audit-ingest-error.js';
import { chainPositionOf, type ChainPosition } from './audit-chain-extension.js';
import { contentHash } from './content-hash.js';
import { entryBodyOf, entryMatchesChain, entryOf, indexOfEntry, trailIndexValues } from './audit-entry-body.js';
import { chainContinuationOf, continueChain, continuedAfter, type ChainContinuation } from './chain-continuation.js';
import { recordChainFlag } from './chain-flags.js';
import { toNumber } from './sql-values.js';

const ADVANCE_BATCH = 500;
/** Values per IN (…) list: within SQLite's and PostgreSQL's bound-parameter limits. */
const LOOKUP_CHUNK = 400;
/** Rows per multi-row INSERT: 18 columns each, within both engines' bound-parameter limits. */
const INSERT_CHUNK = 50;
/**
 * The content_hash of events stored since the hub stopped hashing every event on arrival: a re-sent
 * event is compared with the stored resource itself (sameContent). Older rows keep their hash.
 */
const NOT_HASHED = '';

interface HeldLink {
  readonly eventId: string;
  readonly hash: string;
  readonly previousHash: string;
}

/**
 * Stores `event` for the principal's device. `{ created: false }` when the identical event (same id,
 * same content apart from meta) is already held, for this device or for the earlier device whose
 * chain this one continues (chain-continuation.ts); refused when the id is held with other content or
 * for another device, when the observer names another device, or when the chain extension is missing.
 */
export async function recordAuditEvent(
  tx: SqlDatabase,
  principal: Principal,
  event: unknown,
  nowIso: string,
  logger?: FastifyBaseLogger,
): Promise<{ created: boolean }> {
  const [result] = await recordAuditEvents(tx, principal, [event], nowIso, logger);
  return result!;
}

/**
 * Stores `events` in order, each as recordAuditEvent would one after another; the first refusal is
 * thrown (the caller's transaction then writes nothing of the run). Each event is stored as the
 * canonical serialisation of the validated event (JSON.stringify), never as the text the device
 * sent: that text may repeat a member (JSON.parse keeps the last, the text keeps every copy) or
 * nest deeper than a reader can follow.
 */
export async function recordAuditEvents(
  tx: SqlDatabase,
  principal: Principal,
  events: readonly unknown[],
  nowIso: string,
  logger?: FastifyBaseLogger,
): Promise<{ created: boolean }[]> {
  const deviceId = principal.device.deviceId;
  const checked = events.map((event) => checkedEvent(deviceId, event));
  const held = await heldEvents(tx, [...new Set(checked.map((c) => c.position.eventId))]);
  const links = await linksAround(tx, deviceId, checked);
  const signed = await checkpointsAt(tx, deviceId, checked);
  let head = await highestContiguous(tx, deviceId);
  let advanced = false;
  const heldElsewhere = checked.filter((c) => {
    const already = held.get(c.position.eventId);
    return already !== undefined && already.deviceId !== deviceId;
  });
  let continued: ChainContinuation | null = null;
  if (head === 0) {
    // A workstation enrolled again goes on with its chain under its new device id.
    continued = await continueChain(
      tx,
      deviceId,
      checked.filter((c) => !heldElsewhere.includes(c)).map((c) => c.position),
      heldElsewhere.map((c) => c.position),
      nowIso,
      logger,
    );
    head = continued?.afterSequence ?? 0;
    advanced = head > 0;
  } else if (heldElsewhere.length > 0) {
    continued = await chainContinuationOf(tx, deviceId);
  }
  // Another device's chain continues this one after `forkAfter`: this device's events above it fork
  // from the chain the hub verifies. They are stored (evidence) and flagged; its head stays there.
  const forkAfter = await continuedAfter(tx, deviceId);
  const onChain = (sequence: number): boolean => forkAfter === null || sequence <= forkAfter;
  const results: { created: boolean }[] = [];
  // Rows go in a chunk at a time as the run is checked, so each event's stored text is written and
  // dropped while it is young (holding a run's 3 MB of text until the end made the collector copy it).
  const rows = new InsertBuffer(tx);
  for (let i = 0; i < checked.length; i += 1) {
    const { event, position, entry, body } = checked[i]!;
    const already = held.get(position.eventId);
    if (already !== undefined) {
      if (
        already.deviceId === deviceId
          ? sameContent(position.eventId, already.resource, event)
          : continuesAt(continued, already.deviceId, position.sequence) && sameEntry(already, position, entry)
      ) {
        results.push({ created: false });
        continue;
      }
      throw new AuditIngestError(
        'AUDIT_EVENT_CONFLICT',
        `AuditEvent ${position.eventId} is already held with different content; audit events cannot be changed.`,
        409,
      );
    }
    const index = indexOfEntry(body, event);
    await rows.add(
      position.eventId,
      deviceId,
      position.sequence,
      position.previousHash,
      position.hash,
      NOT_HASHED,
      storedText(position.eventId, event),
      nowIso,
      ...trailIndexValues(index),
    );
    held.set(position.eventId, { deviceId, resource: event as object, hash: position.hash, previousHash: position.previousHash });
    if (!entryMatchesChain(entry, body, position)) {
      await recordChainFlag(
        tx,
        { deviceId, sequence: position.sequence, kind: 'content-mismatch', eventId: position.eventId },
        nowIso,
        logger,
      );
    }
    await checkLinks(tx, deviceId, position, links, signed, nowIso, logger);
    if (!onChain(position.sequence)) {
      await recordChainFlag(tx, { deviceId, sequence: position.sequence, kind: 'chain-fork', eventId: position.eventId }, nowIso, logger);
    }
    linksAt(links, position.sequence).push({ eventId: position.eventId, hash: position.hash, previousHash: position.previousHash });
    if (position.sequence === head + 1 && onChain(position.sequence)) {
      head = position.sequence;
      advanced = true;
      while (links.get(head + 1)?.length && onChain(head + 1)) head += 1;
    } else if (position.sequence > head + 1) {
      await rows.flush();
      await warnOfGap(tx, deviceId, position.sequence, logger);
    }
    results.push({ created: true });
  }
  await rows.flush();
  if (advanced) await advanceHead(tx, deviceId, head, nowIso, forkAfter);
  return results;
}

/**
 * Whether an event held under `heldUnder` at `sequence` belongs to the earlier chain this device's
 * chain continues: the new device re-sending an entry the earlier device delivered (its answer lost).
 */
function continuesAt(continued: ChainContinuation | null, heldUnder: string, sequence: number): boolean {
  return continued !== null && continued.earlierDeviceId === heldUnder && sequence <= continued.afterSequence;
}

/**
 * Whether a re-sent event is the entry held under the earlier device: the same chain position (hash
 * and link) and the same hashed entry. The rest of the event may differ: it names the device that
 * sends it as its observer.
 */
function sameEntry(held: HeldEvent, position: ChainPosition, entry: string): boolean {
  if (held.hash !== position.hash || held.previousHash !== position.previousHash) return false;
  const stored = typeof held.resource === 'string' ? (JSON.parse(held.resource) as unknown) : held.resource;
  return entryOf(stored) === entry;
}

/**
 * The JSON the hub stores for `event`: its serialisation, refused (nothing of the run is stored)
 * when it cannot be serialised, so no event is kept that a reader could not read back.
 */
function storedText(eventId: string, event: unknown): string {
  try {
    return JSON.stringify(event);
  } catch {
    throw unserialisable(eventId);
  }
}

function unserialisable(eventId: string): AuditIngestError {
  return new AuditIngestError(
    'AUDIT_EVENT_INVALID',
    `AuditEvent ${eventId} cannot be serialised (nested too deeply or not plain JSON); nothing of its run was stored.`,
    422,
  );
}

/**
 * Whether a re-sent event is the one held: the same canonical JSON without `meta` (content-hash.ts),
 * computed only when an id arrives a second time, from the event as stored (or as taken earlier in
 * the same run).
 */
function sameContent(eventId: string, held: string | object, event: unknown): boolean {
  const stored = typeof held === 'string' ? (JSON.parse(held) as object) : held;
  let sent: string;
  try {
    sent = contentHash(event as object);
  } catch {
    throw unserialisable(eventId);
  }
  return contentHash(stored) === sent;
}

const EVENT_COLUMNS = `event_id, device_id, sequence, previous_hash, hash, content_hash, resource, received_at,
  recorded_ms, user_id, patient_id, action, session_id, query_text, outcome, username_tried, type_code, subtype_code`;
const COLUMN_COUNT = 18;

const INSERT_FULL_CHUNK = `INSERT INTO audit_events (${EVENT_COLUMNS}) VALUES ${rowsPlaceholders(INSERT_CHUNK, COLUMN_COUNT)}`;

/**
 * The run's new events, INSERT_CHUNK rows per statement (one statement per row was a large part of
 * a run's cost), their values kept flat in one array.
 */
class InsertBuffer {
  #values: unknown[] = [];
  readonly #tx: SqlDatabase;

  constructor(tx: SqlDatabase) {
    this.#tx = tx;
  }

  /** Adds one row (its values in EVENT_COLUMNS order); writes the chunk once it is full. */
  async add(...row: unknown[]): Promise<void> {
    for (let i = 0; i < row.length; i += 1) this.#values.push(row[i]);
    if (this.#values.length >= INSERT_CHUNK * COLUMN_COUNT) await this.flush();
  }

  async flush(): Promise<void> {
    const values = this.#values;
    if (values.length === 0) return;
    this.#values = [];
    const rows = values.length / COLUMN_COUNT;
    const sql =
      rows === INSERT_CHUNK
        ? INSERT_FULL_CHUNK
        : `INSERT INTO audit_events (${EVENT_COLUMNS}) VALUES ${rowsPlaceholders(rows, COLUMN_COUNT)}`;
    await this.#tx.execute(sql, values);
  }
}

interface CheckedEvent {
  readonly event: unknown;
  readonly position: ChainPosition;
  /** The hashed entry's canonical JSON text as uploaded. */
  readonly entry: string;
  /** The entry parsed (null when it is not a JSON object). */
  readonly body: Record<string, unknown> | null;
}

function checkedEvent(deviceId: string, event: unknown): CheckedEvent {
  const position = chainPositionOf(event);
  const outside = auditEventOutsideShape(event);
  if (outside !== null) {
    const what =
      outside.kind === 'member'
        ? "is not a member a workstation's AuditEvent has"
        : outside.kind === 'display'
          ? 'is not the display a workstation writes there (the one of its code, or a fixed label)'
          : 'is not a value a workstation writes there (a code of its table, an id, a Type/id reference, the fixed site)';
    throw new AuditIngestError(
      'AUDIT_EVENT_INVALID',
      `AuditEvent ${position.eventId}: ${outside.path} ${what}; the hub keeps ids and codes only, never names.`,
      422,
    );
  }
  if (position.observer !== undefined && position.observer !== `Device/${deviceId}`) {
    throw new AuditIngestError(
      'AUDIT_WRONG_DEVICE',
      `AuditEvent ${position.eventId} names another device as its observer; a workstation uploads only its own audit trail.`,
      403,
    );
  }
  const entry = entryOf(event);
  if (entry === null) {
    throw new AuditIngestError(
      'AUDIT_CHAIN_MISSING',
      `AuditEvent ${position.eventId}: the audit-chain extension needs the hashed "entry" (valueBase64Binary), so the hub can recompute its hash.`,
    );
  }
  const body = entryBodyOf(entry);
  // outcomeDesc is the hashed entry's failure reason or nothing: it carries no text the entry does not.
  const outcomeDesc = (event as { outcomeDesc?: unknown }).outcomeDesc;
  if (outcomeDesc !== undefined && (body === null || outcomeDesc !== auditOutcomeDescriptionOf(body))) {
    throw new AuditIngestError(
      'AUDIT_EVENT_INVALID',
      `AuditEvent ${position.eventId}: AuditEvent.outcomeDesc is not the failure reason of its hashed entry (detail.reason); the hub keeps no other text there.`,
      422,
    );
  }
  return { event, position, entry, body };
}

interface HeldEvent {
  readonly deviceId: string;
  /** The event as stored (JSON), or as taken earlier in this run. */
  readonly resource: string | object;
  readonly hash: string;
  readonly previousHash: string;
}

/** The events already held under these ids (any device), by id. */
async function heldEvents(tx: SqlDatabase, eventIds: readonly string[]): Promise<Map<string, HeldEvent>> {
  const held = new Map<string, HeldEvent>();
  for (const ids of chunked(eventIds, LOOKUP_CHUNK)) {
    const params = new SqlParams();
    const rows = await tx.query<{ event_id: string; device_id: string; resource: string; hash: string; previous_hash: string }>(
      `SELECT event_id, device_id, resource, hash, previous_hash FROM audit_events WHERE event_id IN (${params.list(ids)})`,
      params.values,
    );
    for (const row of rows)
      held.set(row.event_id, { deviceId: row.device_id, resource: row.resource, hash: row.hash, previousHash: row.previous_hash });
  }
  return held;
}

/** The device's held chain positions at, just before and just after each sequence of the run. */
async function linksAround(tx: SqlDatabase, deviceId: string, checked: readonly CheckedEvent[]): Promise<Map<number, HeldLink[]>> {
  const wanted = new Set<number>();
  for (const { position } of checked) {
    wanted.add(position.sequence - 1);
    wanted.add(position.sequence);
    wanted.add(position.sequence + 1);
  }
  const links = new Map<number, HeldLink[]>();
  for (const sequence of wanted) links.set(sequence, []);
  for (const sequences of chunked([...wanted], LOOKUP_CHUNK)) {
    const params = new SqlParams();
    const rows = await tx.query<{ event_id: string; sequence: unknown; hash: string; previous_hash: string }>(
      `SELECT event_id, sequence, hash, previous_hash FROM audit_events WHERE device_id = ${params.add(deviceId)} AND sequence IN (${params.list(sequences)})`,
      params.values,
    );
    for (const row of rows)
      linksAt(links, toNumber(row.sequence)).push({ eventId: row.event_id, hash: row.hash, previousHash: row.previous_hash });
  }
  return links;
}

function linksAt(links: Map<number, HeldLink[]>, sequence: number): HeldLink[] {
  let at = links.get(sequence);
  if (at === undefined) {
    at = [];
    links.set(sequence, at);
  }
  return at;
}

/** What the device signed earlier at the run's sequences: hashes by sequence. */
async function checkpointsAt(tx: SqlDatabase, deviceId: string, checked: readonly CheckedEvent[]): Promise<Map<number, string[]>> {
  const signed = new Map<number, string[]>();
  for (const sequences of chunked([...new Set(checked.map((c) => c.position.sequence))], LOOKUP_CHUNK)) {
    const params = new SqlParams();
    const rows = await tx.query<{ sequence: unknown; hash: string }>(
      `SELECT sequence, hash FROM audit_checkpoints WHERE device_id = ${params.add(deviceId)} AND sequence IN (${params.list(sequences)})`,
      params.values,
    );
    for (const row of rows) {
      const sequence = toNumber(row.sequence);
      signed.set(sequence, [...(signed.get(sequence) ?? []), row.hash]);
    }
  }
  return signed;
}

/** Checks the new event's links against what is held (before the event itself is added to `links`). */
async function checkLinks(
  tx: SqlDatabase,
  deviceId: string,
  position: ChainPosition,
  links: Map<number, HeldLink[]>,
  signed: Map<number, string[]>,
  nowIso: string,
  logger?: FastifyBaseLogger,
): Promise<void> {
  const { sequence, eventId } = position;
  // The events held at this sequence before this one (it is added to `links` after the check).
  const heldHere = linksAt(links, sequence);
  if (heldHere.some((e) => e.eventId !== eventId)) {
    await recordChainFlag(tx, { deviceId, sequence, kind: 'sequence-reused', eventId }, nowIso, logger);
  }
  // This event's link to its predecessor.
  if (sequence === 1) {
    if (position.previousHash !== GENESIS_PREVIOUS_HASH)
      await recordChainFlag(tx, { deviceId, sequence, kind: 'hash-mismatch', eventId }, nowIso, logger);
  } else {
    const before = linksAt(links, sequence - 1);
    if (before.length > 0 && !before.some((e) => e.hash === position.previousHash)) {
      await recordChainFlag(tx, { deviceId, sequence, kind: 'hash-mismatch', eventId }, nowIso, logger);
    }
  }
  // The successor's link to this position (to this event's hash or to one held here).
  for (const next of linksAt(links, sequence + 1)) {
    if (next.previousHash !== position.hash && !heldHere.some((e) => e.hash === next.previousHash)) {
      await recordChainFlag(tx, { deviceId, sequence: sequence + 1, kind: 'hash-mismatch', eventId: next.eventId }, nowIso, logger);
    }
  }
  // What the device signed earlier for this position.
  const checkpoints = signed.get(sequence) ?? [];
  if (checkpoints.length > 0 && !checkpoints.includes(position.hash)) {
    await recordChainFlag(tx, { deviceId, sequence, kind: 'checkpoint-mismatch', eventId }, nowIso, logger);
  }
}

/**
 * Logs the gap below an event that arrived ahead of the device's contiguous head: below it are the
 * events held before the run and the run's events taken so far (the caller has written them).
 */
async function warnOfGap(tx: SqlDatabase, deviceId: string, sequence: number, logger?: FastifyBaseLogger): Promise<void> {
  const below = await tx.query<{ previous: unknown }>(
    'SELECT MAX(sequence) AS previous FROM audit_events WHERE device_id = $1 AND sequence < $2',
    [deviceId, sequence],
  );
  const previous = below[0]?.previous === null || below[0]?.previous === undefined ? 0 : toNumber(below[0].previous);
  if (previous < sequence - 1) {
    logger?.warn({ event: 'audit-chain-gap', deviceId, from: previous + 1, to: sequence - 1 }, 'audit chain has a gap');
  }
}

/**
 * Moves the device's highest contiguous sequence from `reached` forward over every sequence held
 * without a gap (never past `upTo`, where another device's chain continues this one), and stores it.
 */
async function advanceHead(tx: SqlDatabase, deviceId: string, reached: number, nowIso: string, upTo: number | null): Promise<void> {
  for (;;) {
    if (upTo !== null && reached >= upTo) break;
    const rows = await tx.query<{ sequence: unknown }>(
      'SELECT DISTINCT sequence FROM audit_events WHERE device_id = $1 AND sequence > $2 ORDER BY sequence LIMIT ' + ADVANCE_BATCH,
      [deviceId, reached],
    );
    let advanced = 0;
    for (const row of rows) {
      if (toNumber(row.sequence) !== reached + 1 || (upTo !== null && reached + 1 > upTo)) break;
      reached += 1;
      advanced += 1;
    }
    if (advanced < ADVANCE_BATCH) break;
  }
  await tx.execute(
    `INSERT INTO audit_chain_heads (device_id, highest_contiguous, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (device_id) DO UPDATE SET highest_contiguous = excluded.highest_contiguous, updated_at = excluded.updated_at`,
    [deviceId, reached, nowIso],
  );
}

export async function highestContiguous(db: SqlDatabase, deviceId: string): Promise<number> {
  const rows = await db.query<{ highest_contiguous: unknown }>('SELECT highest_contiguous FROM audit_chain_heads WHERE device_id = $1', [
    deviceId,
  ]);
  return rows[0] === undefined ? 0 : toNumber(rows[0].highest_contiguous);
}
