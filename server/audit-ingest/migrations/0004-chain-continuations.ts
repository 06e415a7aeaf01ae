// Which device's audit chain a re-enrolled workstation's chain continues, and after which sequence
// (chain-continuation.ts): one row per continuing device, and at most one continuing device per
// point of an earlier chain, so a second claimant of the same point is never taken as a continuation.
import type { HubMigration, SqlDatabase } from '../../storage/index.js';

export const chainContinuationsMigration: HubMigration = {
  id: 'audit-ingest-0004-chain-continuations',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute(
      `CREATE TABLE audit_chain_continuations (
         device_id TEXT PRIMARY KEY,
         earlier_device_id TEXT NOT NULL,
         after_sequence BIGINT NOT NULL,
         recorded_at TEXT NOT NULL,
         UNIQUE (earlier_device_id, after_sequence)
       )`,
    );
  },
};
