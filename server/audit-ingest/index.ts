// The hub's audit ingest: AuditEvents uploaded by workstations, stored exactly once, checked against
// each device's hash chain (gaps, broken links, reused sequences), and device-signed checkpoints.
export { auditIngestMigrations } from './audit-ingest-migrations.js';
export { recordAuditEvent, recordAuditEvents } from './record-audit-event.js';
export { auditChainStatus, type AuditChainStatus } from './chain-status.js';
export { registerAuditIngest, type AuditIngestDeps } from './audit-routes.js';
export { AuditIngestError, type AuditIngestErrorCode } from './audit-ingest-error.js';
