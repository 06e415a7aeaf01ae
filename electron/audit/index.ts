// The audit room: the workstation's tamper-evident audit trail. Owns its own SQLCipher database
// (audit.db, own key), the hash chain and its verification, the AuditEvent mapping and the upload.
export { openAuditLog, type AuditLog, type ChainHead } from './audit-log.js';
export { DEFAULT_AUDIT_RETENTION_DAYS } from './audit-prune.js';
export { AUDIT_ACTIONS, GENESIS_PREVIOUS_HASH, entryHash, type AuditDetail, type AuditEntry, type NewAuditEntry } from './audit-entry.js';
export { auditEventOf, type AuditEventSource } from './audit-event-mapping.js';
export { AuditError } from './audit-error.js';
export { auditFilePath } from './audit-files.js';
export {
  chartReadEntry,
  queryEntries,
  printEntry,
  printRefusedEntry,
  documentationEntry,
  wipeEntry,
  rekeyEntry,
  ipcRejectedEntry,
} from './host-entries.js';
export { auditedChartReads, censusQueryText, type AuditedChartReads } from './audited-chart-reads.js';
export { viewAuditTrail, exportAuditView, type AuditViewFilter, type AuditViewRequest, type AuditViewPage } from './audit-view.js';
export { sessionAuditSink, sessionEventEntry } from './session-audit-sink.js';
export { syncAuditSink, syncEventEntries } from './sync-audit-sink.js';
export {
  AuditUploader,
  AuditCheckpointFailed,
  deviceKeySigner,
  type AuditTransport,
  type AuditUploadReport,
  type HubAnswer,
} from './audit-upload.js';
export { exportAuditTrail, auditViewCsv, usernameTriedOf, type AuditExportFormat, type AuditEntryLabels } from './audit-export.js';
