// Ingests one AuditEvent a device uploaded (one entry of a batch, inside that entry's transaction):
// exactly once by its client-assigned id, attributed to the uploading device, checked against the
// device's hash chain. The hub recomputes the entry's hash from the hashed entry the event carries
// (audit-entry-body.ts) instead of trusting the hash it was sent. Problems with the chain (a link,
// a signed checkpoint, or content that does not hash to the hash sent) are flagged, never silently
// dropped: the event is stored anyway, because it is evidence. An event without its hashed entry
// is refused: nothing in it could be checked.
import type { FastifyBaseLogger } from 'fastify';
import type { Principal } from '../identity/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { GENESIS_PREVIOUS_HASH } from '../../shared/auth/index.js';
import { AuditIngestError } from './audit-ingest-error.js';
import { chainPositionOf, type ChainPosition } from './audit-chain-extension.js';
import { contentHash } from './content-hash.js';
import { entryBodyOf, entryMatchesChain, entryOf, indexOfEntry, trailIndexValues } from './audit-entry-body.js';
import { recordChainFlag } from './chain-flags.js';
import { toNumber } from './sql-values.js';

const ADVANCE_BATCH = 500;

/**
 * Stores `event` for the principal's device. `{ created: false }` when the identical event (same id,
 * same content apart from meta) is already held; refused when the id is held with other content or
 * for another device, when the observer names another device, or when the chain extension is missing.
 */
export async function recordAuditEvent(
  tx: SqlDatabase,
  principal: Principal,
  event: unknown,
  nowIso: string,
  logger?: FastifyBaseLogger,
): Promise<{ created: boolean }> {
  const deviceId = principal.device.deviceId;
  const position = chainPositionOf(event);
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
  const digest = contentHash(event as object);
  const held = await tx.query<{ device_id: string; content_hash: string }>(
    'SELECT device_id, content_hash FROM audit_events WHERE event_id = $1',
    [position.eventId],
  );
  if (held[0] !== undefined) {
    if (held[0].device_id === deviceId && held[0].content_hash === digest) return { created: false };
    throw new AuditIngestError(
      'AUDIT_EVENT_CONFLICT',
      `AuditEvent ${position.eventId} is already held with different content; audit events cannot be changed.`,
      409,
    );
  }
  const body = entryBodyOf(entry);
  const index = indexOfEntry(body, event);
  await tx.execute(
    `INSERT INTO audit_events (event_id, device_id, sequence, previous_hash, hash, content_hash, resource, received_at,
       recorded_ms, user_id, patient_id, action, session_id, query_text, outcome, username_tried, type_code, subtype_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      position.eventId,
      deviceId,
      position.sequence,
      position.previousHash,
      position.hash,
      digest,
      JSON.stringify(event),
      nowIso,
      ...trailIndexValues(index),
    ],
  );
  if (!entryMatchesChain(entry, body, position)) {
    await recordChainFlag(
      tx,
      { deviceId, sequence: position.sequence, kind: 'content-mismatch', eventId: position.eventId },
      nowIso,
      logger,
    );
  }
  await checkLinks(tx, deviceId, position, nowIso, logger);
  await advanceHead(tx, deviceId, position.sequence, nowIso, logger);
  return { created: true };
}

async function checkLinks(
  tx: SqlDatabase,
  deviceId: string,
  position: ChainPosition,
  nowIso: string,
  logger?: FastifyBaseLogger,
): Promise<void> {
  const { sequence, eventId } = position;
  const atSequence = await hashesAt(tx, deviceId, sequence);
  if (atSequence.some((e) => e.eventId !== eventId)) {
    await recordChainFlag(tx, { deviceId, sequence, kind: 'sequence-reused', eventId }, nowIso, logger);
  }
  // This event's link to its predecessor.
  if (sequence === 1) {
    if (position.previousHash !== GENESIS_PREVIOUS_HASH)
      await recordChainFlag(tx, { deviceId, sequence, kind: 'hash-mismatch', eventId }, nowIso, logger);
  } else {
    const before = await hashesAt(tx, deviceId, sequence - 1);
    if (before.length > 0 && !before.some((e) => e.hash === position.previousHash)) {
      await recordChainFlag(tx, { deviceId, sequence, kind: 'hash-mismatch', eventId }, nowIso, logger);
    }
  }
  // The successor's link to this position.
  const hashesHere = new Set(atSequence.map((e) => e.hash));
  for (const next of await hashesAt(tx, deviceId, sequence + 1)) {
    if (!hashesHere.has(next.previousHash)) {
      await recordChainFlag(tx, { deviceId, sequence: sequence + 1, kind: 'hash-mismatch', eventId: next.eventId }, nowIso, logger);
    }
  }
  // What the device signed earlier for this position.
  const signed = await tx.query<{ hash: string }>('SELECT hash FROM audit_checkpoints WHERE device_id = $1 AND sequence = $2', [
    deviceId,
    sequence,
  ]);
  if (signed.length > 0 && !signed.some((c) => c.hash === position.hash)) {
    await recordChainFlag(tx, { deviceId, sequence, kind: 'checkpoint-mismatch', eventId }, nowIso, logger);
  }
}

async function hashesAt(
  tx: SqlDatabase,
  deviceId: string,
  sequence: number,
): Promise<{ eventId: string; hash: string; previousHash: string }[]> {
  const rows = await tx.query<{ event_id: string; hash: string; previous_hash: string }>(
    'SELECT event_id, hash, previous_hash FROM audit_events WHERE device_id = $1 AND sequence = $2',
    [deviceId, sequence],
  );
  return rows.map((r) => ({ eventId: r.event_id, hash: r.hash, previousHash: r.previous_hash }));
}

/** Moves the device's highest contiguous sequence forward over every sequence now held without a gap. */
async function advanceHead(tx: SqlDatabase, deviceId: string, sequence: number, nowIso: string, logger?: FastifyBaseLogger): Promise<void> {
  const head = await highestContiguous(tx, deviceId);
  if (sequence !== head + 1) {
    if (sequence > head + 1) {
      const below = await tx.query<{ previous: unknown }>(
        'SELECT MAX(sequence) AS previous FROM audit_events WHERE device_id = $1 AND sequence < $2',
        [deviceId, sequence],
      );
      const previous = below[0]?.previous === null || below[0]?.previous === undefined ? 0 : toNumber(below[0].previous);
      if (previous < sequence - 1) {
        logger?.warn({ event: 'audit-chain-gap', deviceId, from: previous + 1, to: sequence - 1 }, 'audit chain has a gap');
      }
    }
    return;
  }
  let reached = sequence;
  for (;;) {
    const rows = await tx.query<{ sequence: unknown }>(
      'SELECT DISTINCT sequence FROM audit_events WHERE device_id = $1 AND sequence > $2 ORDER BY sequence LIMIT ' + ADVANCE_BATCH,
      [deviceId, reached],
    );
    let advanced = 0;
    for (const row of rows) {
      if (toNumber(row.sequence) !== reached + 1) break;
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
