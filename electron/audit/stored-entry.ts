// A row of audit_entries (with its audit_search row, when the search table has caught up) and the
// entry it holds. The body is the canonical JSON that was hashed; the entry handed to callers is
// parsed from it (the search columns are never trusted).
import type { AuditEntry, AuditEntryBody } from './audit-entry.js';

export interface StoredEntryRow {
  readonly sequence: number;
  readonly body: string;
  readonly previous_hash: string;
  readonly hash: string;
}

/** An entry row joined with its search row; the search columns are null until it is indexed. */
export interface CheckedEntryRow extends StoredEntryRow {
  readonly recorded_ms: number | null;
  readonly user_id: string | null;
  readonly patient_id: string | null;
  readonly action: string | null;
  readonly username_tried: string | null;
}

export const ENTRY_COLUMNS = 'sequence, body, previous_hash, hash';

export function entryOfRow(row: StoredEntryRow): AuditEntry {
  const body = JSON.parse(row.body) as AuditEntryBody;
  return { ...body, previousHash: row.previous_hash, hash: row.hash };
}
