// Retention: entries the hub has acknowledged (its contiguous answer, and marked sent here) whose
// time lies before the policy's retention period are deleted, oldest first, never the chain head.
// The hash of the last pruned entry is kept as the anchor the rest of the chain is verified from;
// anything not yet at the hub, or younger than the retention period, is never touched.
import type { EncryptedConnection } from '../vault/index.js';
import type { AuditMeta } from './audit-meta.js';
import type { UploadQueue } from './upload-queue.js';

/** How long acknowledged entries stay on the workstation when the policy does not say (days). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;

/** Where the retained chain starts: the last pruned entry. */
export interface ChainAnchor {
  readonly sequence: number;
  readonly hash: string;
}

export interface AuditPruner {
  /** Deletes acknowledged entries recorded before `beforeMs` (epoch ms); returns how many. */
  prune(beforeMs: number): number;
  anchor(): ChainAnchor | null;
}

export function createAuditPruner(db: EncryptedConnection, meta: AuditMeta, queue: UploadQueue): AuditPruner {
  const headSequence = db.prepare<[], number>('SELECT coalesce(max(sequence), 0) FROM audit_entries').pluck();
  const firstYoung = db
    .prepare<[number, number, number], number | null>(
      'SELECT min(sequence) FROM audit_search WHERE sequence > ? AND sequence <= ? AND recorded_ms >= ?',
    )
    .pluck();
  const hashAt = db.prepare<[number], string>('SELECT hash FROM audit_entries WHERE sequence = ?').pluck();
  const dropEntries = db.prepare<[number, number]>('DELETE FROM audit_entries WHERE sequence > ? AND sequence <= ?');
  const dropSearch = db.prepare<[number]>('DELETE FROM audit_search WHERE sequence <= ?');

  const anchor = (): ChainAnchor | null => {
    const sequence = Number(meta.get('pruned_through') ?? '0');
    const hash = meta.get('pruned_hash');
    return sequence > 0 && hash !== null ? { sequence, hash } : null;
  };

  const prune = db.transaction((beforeMs: number): number => {
    const from = anchor()?.sequence ?? 0;
    const acknowledged = Math.min(
      queue.sentThrough(),
      queue.hubAcknowledged() ?? 0,
      headSequence.get()! - 1,
      Number(meta.get('search_through') ?? '0'),
    );
    if (acknowledged <= from) return 0;
    const young = firstYoung.get(from, acknowledged, beforeMs) ?? null;
    const through = young === null ? acknowledged : young - 1;
    if (through <= from) return 0;
    const hash = hashAt.get(through);
    if (hash === undefined) return 0;
    meta.set('pruned_through', String(through));
    meta.set('pruned_hash', hash);
    const deleted = dropEntries.run(from, through).changes;
    dropSearch.run(through);
    return deleted;
  });

  return { prune: (beforeMs) => prune.immediate(beforeMs), anchor };
}
