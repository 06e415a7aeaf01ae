// The audit room: the workstation's tamper-evident audit trail. Owns its own SQLCipher database
// (audit.db, own key), the hash chain and its verification, the AuditEvent mapping and the upload.
export { openAuditLog, type AuditLog, type AuditQuery, type ChainHead, type OpenAuditLogOptions } from './audit-log.js';
export {
  AUDIT_ACTIONS,
  GENESIS_PREVIOUS_HASH,
  entryHash,
  type AuditAction,
  type AuditDetail,
  type AuditEntry,
  type AuditEntryBody,
  type AuditOutcome,
  type NewAuditEntry,
} from './audit-entry.js';
export { AuditError, isAuditError, type AuditErrorCode } from './audit-error.js';
export { AUDIT_FILE_NAME, auditFilePath } from './audit-files.js';
export { verifyChain, type ChainVerdict, type ChainProblem } from './chain-verify.js';
export { auditEventOf, type AuditEventSource } from './audit-event-mapping.js';
export { auditEventIdOf } from './audit-event-id.js';
export {
  chartReadEntry,
  queryEntries,
  printEntry,
  printRefusedEntry,
  documentationEntry,
  wipeEntry,
  ipcRejectedEntry,
  type AuditActor,
} from './host-entries.js';
export { auditedChartReads, censusQueryText, type AuditedChartReads } from './audited-chart-reads.js';
export { viewAuditTrail, type AuditViewRequest, type AuditViewPage } from './audit-view.js';
export { sessionAuditSink, sessionEventEntry } from './session-audit-sink.js';
export { syncAuditSink, syncEventEntries } from './sync-audit-sink.js';
export {
  AuditUploader,
  deviceKeySigner,
  type AuditTransport,
  type AuditUploaderOptions,
  type AuditUploadReport,
  type CheckpointSigner,
  type HubAnswer,
} from './audit-upload.js';
export type { UploadQueue, AuditCheckpointRecord } from './upload-queue.js';
export { exportAuditTrail, CSV_COLUMNS, type AuditExportFormat } from './audit-export.js';
