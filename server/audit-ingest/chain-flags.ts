// Problems found in a device's audit chain, kept as evidence for the privacy officer: a hash that
// does not link to its predecessor (or disagrees with a signed checkpoint, or is not the hash of the
// entry the event carries: content-mismatch), and a sequence number
// used by two different events, and a fork of a continued chain (chain-continuation.ts): an event
// of a second device claiming a point another device already continues, or of the earlier device
// going on above the point its chain was continued from. Each is recorded once and logged as a
// warning with ids only.
import type { FastifyBaseLogger } from 'fastify';
import type { SqlDatabase } from '../storage/index.js';

export type ChainFlagKind = 'hash-mismatch' | 'checkpoint-mismatch' | 'content-mismatch' | 'sequence-reused' | 'chain-fork';

export interface ChainFlag {
  readonly deviceId: string;
  readonly sequence: number;
  readonly kind: ChainFlagKind;
  /** The event the problem was found on (for checkpoint mismatches: the held event). */
  readonly eventId: string;
}

export async function recordChainFlag(db: SqlDatabase, flag: ChainFlag, nowIso: string, logger?: FastifyBaseLogger): Promise<void> {
  const inserted = await db.execute(
    'INSERT INTO audit_chain_flags (device_id, sequence, kind, event_id, detected_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
    [flag.deviceId, flag.sequence, flag.kind, flag.eventId, nowIso],
  );
  if (inserted.changes > 0) {
    logger?.warn(
      { event: 'audit-chain-flag', deviceId: flag.deviceId, sequence: flag.sequence, kind: flag.kind, auditEventId: flag.eventId },
      'audit chain problem found',
    );
  }
}
