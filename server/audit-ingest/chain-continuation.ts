// A workstation enrolled again keeps its audit trail (a wipe never touches it) but gets a new device
// id, and its chain goes on where it was: the new device's first event has a sequence above 1 and
// links to the last entry the earlier device uploaded. Without this the new device's chain would
// show a gap below its first event for ever (entries the hub holds, under the earlier device), its
// contiguous head would stay 0, and the workstation, which prunes only what the hub acknowledged,
// would never prune again.
//
// The new device's chain is taken to start after sequence s - 1 when its lowest new event (sequence
// s) links to an event another device holds at s - 1 with that very hash, that device's chain is
// contiguous up to s - 1 and ends there, and that enrollment was given up: the entry at s - 1 is a
// `wipe` (the workstation records it before destroying its key), or IT revoked the device. The hash
// commits to every entry before it, so nothing below s is missing from the hub. Each continuation is
// stored (audit_chain_continuations: which device continues which, after which sequence), and a
// point of an earlier chain is continued by one device only: a second claimant (a copy of the trail
// enrolled elsewhere) keeps its gap, and its first event there is flagged `chain-fork`; so is every
// event the earlier device uploads above the point continued (continuedAfter: record-audit-event.ts
// stores them as evidence but never moves that device's head past the point). A link to a hash the hub does not hold there (entries never
// delivered, a forged link), to a chain that goes on under its own device, or to an enrollment not
// given up (a copy of a trail still in use elsewhere) leaves the gap reported as before.
//
// Events of the run the hub already holds under another device (the wipe's last upload committed
// while its answer was lost, re-sent by the new device under the same ids) are not the new device's
// chain: the point is found above them, and record-audit-event.ts acknowledges them when they are
// identical to the ones held under the device continued.
import type { FastifyBaseLogger } from 'fastify';
import { deviceStatus } from '../identity/index.js';
import type { SqlDatabase } from '../storage/index.js';
import type { ChainPosition } from './audit-chain-extension.js';
import { recordChainFlag } from './chain-flags.js';
import { toNumber } from './sql-values.js';

/** The earlier device a chain continues, and the sequence it continues after. */
export interface ChainContinuation {
  readonly earlierDeviceId: string;
  readonly afterSequence: number;
}

/** The workstation action its wipe records (shared/fhir/audit-event-codes.ts `wipe`). */
const WIPE_ACTION = 'wipe';

/**
 * For a device whose contiguous head is still 0: the continuation its chain starts with (see above),
 * stored, or null when it starts at 1 or continues no chain the hub holds whole and given up.
 * `heldElsewhere` are the run's positions whose ids the hub already holds under another device.
 */
export async function continueChain(
  tx: SqlDatabase,
  deviceId: string,
  run: readonly ChainPosition[],
  heldElsewhere: readonly ChainPosition[],
  nowIso: string,
  logger?: FastifyBaseLogger,
): Promise<ChainContinuation | null> {
  // The device's lowest event (its id, when the device sent one there), and the link it starts with.
  let first: { sequence: number; previousHash: string; eventId?: string } | null = null;
  for (const position of run) {
    if (first === null || position.sequence < first.sequence) first = position;
  }
  // Only events held elsewhere (re-sent): the new chain would start right above the highest of them.
  if (first === null) {
    for (const position of heldElsewhere) {
      if (first === null || position.sequence + 1 > first.sequence)
        first = { sequence: position.sequence + 1, previousHash: position.hash };
    }
  }
  // The usual case, a device's first upload: its chain starts at 1.
  if (first !== null && first.sequence <= 1) return null;
  const [held] = await tx.query<{ event_id: string; sequence: unknown; previous_hash: string }>(
    'SELECT event_id, sequence, previous_hash FROM audit_events WHERE device_id = $1 ORDER BY sequence LIMIT 1',
    [deviceId],
  );
  if (held !== undefined && (first === null || toNumber(held.sequence) < first.sequence)) {
    first = { sequence: toNumber(held.sequence), previousHash: held.previous_hash, eventId: held.event_id };
  }
  if (first === null || first.sequence <= 1) return null;
  const before = first.sequence - 1;
  const candidates = await tx.query<{ device_id: string; action: string | null }>(
    `SELECT h.device_id, e.action FROM audit_chain_heads h
     JOIN audit_events e ON e.device_id = h.device_id AND e.sequence = $2 AND e.hash = $3
     WHERE h.device_id <> $1 AND h.highest_contiguous = $2
       AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.device_id = h.device_id AND a.sequence > $2)`,
    [deviceId, before, first.previousHash],
  );
  for (const candidate of candidates) {
    if (candidate.action !== WIPE_ACTION && (await deviceStatus(tx, candidate.device_id))?.revoked !== true) continue;
    const stored = await tx.execute(
      `INSERT INTO audit_chain_continuations (device_id, earlier_device_id, after_sequence, recorded_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [deviceId, candidate.device_id, before, nowIso],
    );
    if (stored.changes === 0) {
      logger?.warn(
        { event: 'audit-chain-continuation-refused', deviceId, earlierDeviceId: candidate.device_id, after: before },
        'audit chain claims a point of an earlier chain another device already continues',
      );
      // Two chains go on from one point: the privacy officer sees it on this device's first event there.
      if (first.eventId !== undefined) {
        await recordChainFlag(tx, { deviceId, sequence: first.sequence, kind: 'chain-fork', eventId: first.eventId }, nowIso, logger);
      }
      return null;
    }
    logger?.info(
      { event: 'audit-chain-continued', deviceId, earlierDeviceId: candidate.device_id, after: before },
      'audit chain continues the chain of an earlier enrollment',
    );
    return { earlierDeviceId: candidate.device_id, afterSequence: before };
  }
  return null;
}

/**
 * The point after which another device's chain continues this device's (the lowest, should there be
 * several), or null: this device's events above it fork from the chain the hub verifies.
 */
export async function continuedAfter(db: SqlDatabase, deviceId: string): Promise<number | null> {
  const [row] = await db.query<{ after_sequence: unknown }>(
    'SELECT after_sequence FROM audit_chain_continuations WHERE earlier_device_id = $1 ORDER BY after_sequence LIMIT 1',
    [deviceId],
  );
  return row === undefined ? null : toNumber(row.after_sequence);
}

/** The continuation stored for `deviceId`, if its chain continues an earlier one. */
export async function chainContinuationOf(db: SqlDatabase, deviceId: string): Promise<ChainContinuation | null> {
  const [row] = await db.query<{ earlier_device_id: string; after_sequence: unknown }>(
    'SELECT earlier_device_id, after_sequence FROM audit_chain_continuations WHERE device_id = $1',
    [deviceId],
  );
  return row === undefined ? null : { earlierDeviceId: row.earlier_device_id, afterSequence: toNumber(row.after_sequence) };
}
