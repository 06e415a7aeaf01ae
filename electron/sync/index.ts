// The sync room: the workstation's link to the hub. Owns the pinned, device-authenticated FHIR
// client, enrollment, pull (census, $everything, history), outbox push (and the conflicts it meets), purge,
// connectivity/downtime state, the scheduler and the sync lock.
export { SyncEngine, createSyncEngine, type SyncEngineOptions } from './sync-engine.js';
export { type SyncSummary, type CredentialStampsConsumer, type InitialLoadProgress, type SyncActivity } from './sync-cycle.js';
export { enrollWorkstation, normalizeHubUrl, type EnrollOptions } from './enrollment.js';
export { SyncError, isSyncError, isRefusal, type SyncErrorCode } from './sync-error.js';
export { logAuditSink, type SyncAuditSink, type SyncAuditEvent } from './audit-sink.js';
export { DEFAULT_SYNC_POLICY, resolveSyncPolicy, type SyncPolicy } from './sync-policy.js';
export { syncStatusOf, type SyncStatus, type PatientFreshness } from './sync-status.js';
export { isDowntime, type ConnectivityState, type ConnectivityChange } from './connectivity.js';
export { SyncScheduler, type SyncSchedulerOptions } from './sync-scheduler.js';
export { acquireSyncLock, SYNC_LOCK_FILE, type HeldSyncLock } from './sync-lock.js';
export { CLIENT_ID_SYSTEM } from './client-identifier.js';
export { spkiPinOf, isSpkiPin } from './spki-pin.js';
export { breakTheGlassReasonHeader, type BreakTheGlassAuthority } from './off-ward-fetch.js';
