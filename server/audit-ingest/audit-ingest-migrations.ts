// The audit-ingest room's migrations, in order; the hub's migration runner applies each once.
import type { HubMigration } from '../storage/index.js';
import { auditIngestTables } from './migrations/0001-audit-ingest.js';
import { trailIndexMigration } from './migrations/0002-trail-index.js';
import { dropTimeIndexMigration } from './migrations/0003-drop-time-index.js';
import { chainContinuationsMigration } from './migrations/0004-chain-continuations.js';

export const auditIngestMigrations: readonly HubMigration[] = [
  auditIngestTables,
  trailIndexMigration,
  dropTimeIndexMigration,
  chainContinuationsMigration,
];
