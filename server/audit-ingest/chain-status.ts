// Where a device's audit chain stands at the hub: the highest sequence held with nothing missing
// below it (what the workstation may treat as acknowledged), the gaps above it, and the sequences
// flagged as hash mismatches or reused; for a workstation enrolled again, which device's chain it
// continues and after which sequence (the entries up to there are held under that device); and the
// sequences flagged as a fork of a continued chain.
import type { SqlDatabase } from '../storage/index.js';
import { highestContiguous } from './record-audit-event.js';
import { chainContinuationOf } from './chain-continuation.js';
import { toNumber } from './sql-values.js';

export interface AuditChainStatus {
  readonly highestContiguousSequence: number;
  /** Missing ranges above the contiguous head (inclusive), lowest first; at most 1,000. */
  readonly gaps: { from: number; to: number }[];
  /** Sequences whose hash does not link to the previous one, disagrees with a signed checkpoint, or is not its entry's hash. */
  readonly hashMismatches: number[];
  /** Sequences used by more than one event. */
  readonly reusedSequences: number[];
  /**
   * Present when this chain forks from a continued one (chain-continuation.ts): the sequences of this
   * device's events flagged `chain-fork`, none of them on the chain the hub verifies.
   */
  readonly forkedSequences?: number[];
  /** Present when this chain continues an earlier device's (chain-continuation.ts): sequences 1..afterSequence are held under that device. */
  readonly continues?: { deviceId: string; afterSequence: number };
}

const MAX_GAPS = 1000;

export async function auditChainStatus(db: SqlDatabase, deviceId: string): Promise<AuditChainStatus> {
  const head = await highestContiguous(db, deviceId);
  const gaps = await db.query<{ gap_from: unknown; gap_to: unknown }>(
    `SELECT prev + 1 AS gap_from, sequence - 1 AS gap_to FROM (
       SELECT sequence, LAG(sequence) OVER (ORDER BY sequence) AS prev FROM (
         SELECT sequence FROM audit_events WHERE device_id = $1 AND sequence > $2
         UNION SELECT CAST($2 AS BIGINT) AS sequence
       ) held
     ) steps
     WHERE sequence - prev > 1 ORDER BY gap_from LIMIT ${MAX_GAPS}`,
    [deviceId, head],
  );
  const flags = await db.query<{ sequence: unknown; kind: string }>(
    'SELECT DISTINCT sequence, kind FROM audit_chain_flags WHERE device_id = $1 ORDER BY sequence',
    [deviceId],
  );
  const sequencesOf = (kinds: readonly string[]): number[] => [
    ...new Set(flags.filter((f) => kinds.includes(f.kind)).map((f) => toNumber(f.sequence))),
  ];
  const continued = await chainContinuationOf(db, deviceId);
  const forked = sequencesOf(['chain-fork']);
  return {
    ...(continued === null ? {} : { continues: { deviceId: continued.earlierDeviceId, afterSequence: continued.afterSequence } }),
    highestContiguousSequence: head,
    gaps: gaps.map((g) => ({ from: toNumber(g.gap_from), to: toNumber(g.gap_to) })),
    hashMismatches: sequencesOf(['hash-mismatch', 'checkpoint-mismatch', 'content-mismatch']),
    reusedSequences: sequencesOf(['sequence-reused']),
    ...(forked.length === 0 ? {} : { forkedSequences: forked }),
  };
}
