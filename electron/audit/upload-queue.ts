// The upload side of the log: which entries still wait for the hub, marking entries the hub took
// (after its 2xx for each), and what the hub last said and was last shown (its highest contiguous
// sequence, the last signed checkpoint). Entries themselves are never changed or removed here.
import type { EncryptedConnection } from '../vault/index.js';
import type { AuditEntry } from './audit-entry.js';
import type { AuditMeta } from './audit-meta.js';
import { ENTRY_COLUMNS, entryOfRow, type StoredEntryRow } from './stored-entry.js';

export interface AuditCheckpointRecord {
  readonly sequence: number;
  readonly hash: string;
  /** When it was signed (ISO 8601). */
  readonly at: string;
}

/** A pending entry and its body's canonical JSON as stored (the text that was hashed). */
export interface PendingEntry {
  readonly entry: AuditEntry;
  readonly bodyJson: string;
}

export interface UploadQueue {
  /** Up to `limit` entries the hub has not acknowledged yet, oldest first (after `afterSequence`, if given). */
  pending(limit: number, afterSequence?: number): PendingEntry[];
  pendingCount(): number;
  /**
   * Marks entries as taken by the hub (each answered 2xx; already marked ones are ignored) and keeps
   * the hub's answer with them, in one transaction: a crash never leaves the marks without the answer
   * (every entry then sent, the acknowledgement stale, and nothing left to send that would renew it).
   */
  markSent(sequences: readonly number[], acknowledged?: { readonly sequence: number; readonly at?: string }): void;
  /** Every entry up to this sequence has been taken by the hub. */
  sentThrough(): number;
  /** The hub's last answer: the highest sequence it holds with nothing missing below; null before any. */
  hubAcknowledged(): number | null;
  /** Keeps the hub's answer and when it came (ISO 8601). */
  setHubAcknowledged(sequence: number, at?: string): void;
  /** When the hub last acknowledged an upload (ISO 8601), or null before any. */
  lastAcknowledgedAt(): string | null;
  /** The hub's id for this workstation (Device/{id}), once known. */
  hubDeviceId(): string | null;
  setHubDeviceId(deviceId: string): void;
  lastCheckpoint(): AuditCheckpointRecord | null;
  setLastCheckpoint(checkpoint: AuditCheckpointRecord): void;
}

export function createUploadQueue(db: EncryptedConnection, meta: AuditMeta): UploadQueue {
  const pending = db.prepare<[number, number], StoredEntryRow>(`
    SELECT ${ENTRY_COLUMNS} FROM audit_entries
    WHERE sequence > ? AND sequence NOT IN (SELECT sequence FROM audit_sent)
    ORDER BY sequence LIMIT ?`);
  const countAbove = db.prepare<[number], number>('SELECT count(*) FROM audit_entries WHERE sequence > ?').pluck();
  const countSentAbove = db.prepare<[number], number>('SELECT count(*) FROM audit_sent WHERE sequence > ?').pluck();
  const insertSent = db.prepare<[number]>('INSERT OR IGNORE INTO audit_sent (sequence) VALUES (?)');
  const sentAbove = db.prepare<[number], number>('SELECT sequence FROM audit_sent WHERE sequence > ? ORDER BY sequence').pluck();
  const dropSentThrough = db.prepare<[number]>('DELETE FROM audit_sent WHERE sequence <= ?');
  const held = db.prepare<[number], number>('SELECT count(*) FROM audit_entries WHERE sequence = ?').pluck();

  const sentThrough = (): number => Number(meta.get('sent_through') ?? '0');
  const markSentOnly = (sequences: readonly number[]): void => {
    let through = sentThrough();
    for (const sequence of sequences) {
      if (sequence > through && held.get(sequence) === 1) insertSent.run(sequence);
    }
    for (const sequence of sentAbove.all(through)) {
      if (sequence !== through + 1) break;
      through = sequence;
    }
    dropSentThrough.run(through);
    meta.set('sent_through', String(through));
  };
  const setHubAcknowledged = (sequence: number, at?: string): void => {
    meta.set('hub_acknowledged', String(sequence));
    if (at !== undefined) meta.set('hub_acknowledged_at', at);
  };
  const markSent = db.transaction((sequences: readonly number[], acknowledged?: { readonly sequence: number; readonly at?: string }) => {
    if (sequences.length > 0) markSentOnly(sequences);
    if (acknowledged !== undefined) setHubAcknowledged(acknowledged.sequence, acknowledged.at);
  });
  const numberOrNull = (key: string): number | null => {
    const value = meta.get(key);
    return value === null ? null : Number(value);
  };

  return {
    pending: (limit, afterSequence = 0) => {
      const from = Math.max(sentThrough(), afterSequence);
      return pending.all(from, limit).map((row) => ({ entry: entryOfRow(row), bodyJson: row.body }));
    },
    pendingCount: () => {
      const through = sentThrough();
      return countAbove.get(through)! - countSentAbove.get(through)!;
    },
    markSent: (sequences, acknowledged) => {
      if (sequences.length > 0 || acknowledged !== undefined) markSent.immediate(sequences, acknowledged);
    },
    sentThrough,
    hubAcknowledged: () => numberOrNull('hub_acknowledged'),
    setHubAcknowledged,
    lastAcknowledgedAt: () => meta.get('hub_acknowledged_at'),
    hubDeviceId: () => meta.get('hub_device_id'),
    setHubDeviceId: (deviceId) => meta.set('hub_device_id', deviceId),
    lastCheckpoint: () => {
      const value = meta.get('last_checkpoint');
      return value === null ? null : (JSON.parse(value) as AuditCheckpointRecord);
    },
    setLastCheckpoint: (checkpoint) => meta.set('last_checkpoint', JSON.stringify(checkpoint)),
  };
}
