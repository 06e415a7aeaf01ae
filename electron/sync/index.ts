// The sync room: the workstation's link to the hub. Owns the pinned, device-authenticated FHIR
// client, enrollment, pull (census, $everything, history; the initial load's pages read on a thread of
// their own: page-reader.ts, whose thread is sync-page-worker.ts, bundled on its own; should it fail,
// on the writing thread: page-reader-fallback.ts), outbox push (and the conflicts it meets), purge,
// connectivity/downtime state, the scheduler and the sync lock.
export { SyncEngine, createSyncEngine } from './sync-engine.js';
export { type SyncSummary } from './sync-cycle.js';
export { type DeliveredEntry } from './recent-deliveries.js';
export { enrollWorkstation, normalizeHubUrl } from './enrollment.js';
export { SyncError, isSyncError, type SyncErrorCode } from './sync-error.js';
export { SYNC_LOCK_FILE } from './sync-lock.js';
export { logAuditSink, type SyncAuditSink, type SyncAuditEvent } from './audit-sink.js';
export { DEFAULT_SYNC_POLICY, resolveSyncPolicy, type SyncPolicy } from './sync-policy.js';
export { syncStatusOf, patientFreshnessOf, recordStalenessThresholds, recordedStalenessThresholds } from './sync-status.js';
export { isDowntime, TROUBLE_WINDOW_MS, type ConnectivityState } from './connectivity.js';
export { CLIENT_ID_SYSTEM, clientIdOf } from './client-identifier.js';
export { spkiPinOf, isSpkiPin } from './spki-pin.js';
export { type BreakTheGlassAuthority } from './off-ward-fetch.js';
