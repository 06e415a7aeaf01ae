// The audit-ingest room's migrations, in order; the hub's migration runner applies each once.
import type { HubMigration } from '../storage/index.js';
import { auditIngestTables } from './migrations/0001-audit-ingest.js';

export const auditIngestMigrations: readonly HubMigration[] = [auditIngestTables];
