// A workstation enrolled again keeps its audit trail (a wipe never touches it) but gets a new device
// id, and its chain goes on where it was: the new device's first event has a sequence above 1 and
// links to the last entry the earlier device uploaded. Without this the new device's chain would
// show a gap below its first event for ever (entries the hub holds, under the earlier device), its
// contiguous head would stay 0, and the workstation, which prunes only what the hub acknowledged,
// would never prune again.
//
// The new device's chain is taken to start after sequence s - 1 when its lowest event (sequence s)
// links to an event another device holds at s - 1 with that very hash, and that device's chain is
// contiguous up to s - 1 and ends there (an enrollment given up: its key was destroyed by the wipe).
// The hash commits to every entry before it, so nothing below s is missing from the hub. A link to a
// hash the hub does not hold there (entries never delivered, a forged link), or to a chain that goes
// on under its own device (a copy of a trail still in use elsewhere), leaves the gap reported as before.
import type { FastifyBaseLogger } from 'fastify';
import type { SqlDatabase } from '../storage/index.js';
import type { ChainPosition } from './audit-chain-extension.js';
import { toNumber } from './sql-values.js';

/**
 * For a device whose contiguous head is still 0: the sequence its chain continues after (s - 1, see
 * above), or 0 when it starts at 1 or continues no chain the hub holds whole.
 */
export async function continuedChainHead(
  tx: SqlDatabase,
  deviceId: string,
  run: readonly ChainPosition[],
  logger?: FastifyBaseLogger,
): Promise<number> {
  let first: { sequence: number; previousHash: string } | null = null;
  for (const position of run) {
    if (first === null || position.sequence < first.sequence) first = position;
  }
  // The usual case, a device's first upload: its chain starts at 1.
  if (first !== null && first.sequence <= 1) return 0;
  const [held] = await tx.query<{ sequence: unknown; previous_hash: string }>(
    'SELECT sequence, previous_hash FROM audit_events WHERE device_id = $1 ORDER BY sequence LIMIT 1',
    [deviceId],
  );
  if (held !== undefined && (first === null || toNumber(held.sequence) < first.sequence)) {
    first = { sequence: toNumber(held.sequence), previousHash: held.previous_hash };
  }
  if (first === null || first.sequence <= 1) return 0;
  const before = first.sequence - 1;
  const [earlier] = await tx.query<{ device_id: string }>(
    `SELECT h.device_id FROM audit_chain_heads h
     WHERE h.device_id <> $1 AND h.highest_contiguous = $2
       AND EXISTS (SELECT 1 FROM audit_events e WHERE e.device_id = h.device_id AND e.sequence = $2 AND e.hash = $3)
       AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.device_id = h.device_id AND e.sequence > $2)
     LIMIT 1`,
    [deviceId, before, first.previousHash],
  );
  if (earlier === undefined) return 0;
  logger?.info(
    { event: 'audit-chain-continued', deviceId, earlierDeviceId: earlier.device_id, after: before },
    'audit chain continues the chain of an earlier enrollment',
  );
  return before;
}
