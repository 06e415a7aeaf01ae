// The host: composes the rooms (vault, sync, session, audit) from ports for Electron, the CLI and
// the tests. Owns where a workstation's data lives, how it logs, and the IPC router to the window.
export { resolveDataDir, defaultDataDir, APP_FOLDER_NAME } from './data-dir.js';
export { createHostLogger, silentLogger, LOG_FILE_NAME, type HostLogger } from './logger.js';
export { vaultCredentialStore } from './vault-credential-store.js';
export type { Transport, SenderInfo, IncomingRequest, RequestServer } from './transport.js';
export {
  createIpcRouter,
  printableChannel,
  type IpcRouter,
  type IpcRouterOptions,
  type IpcHandler,
  type IpcHandlers,
  type IpcRejection,
  type RejectionReason,
  type Caller,
} from './ipc-router.js';
export { sessionAuthorizer } from './ipc-authorize.js';
export { sessionHandlers, type SessionHandlers, type SessionService } from './session-handlers.js';
export { chartHandlers, type ChartHandlers, type ChartHandlerOptions, type PatientLookup } from './chart-handlers.js';
export { vaultPatientLookup } from './patient-lookup.js';
export { emitEvent } from './ipc-events.js';
export { HostError, type HostErrorCode } from './host-error.js';
export { openWorkstationHost, type WorkstationHost, type WorkstationHostOptions } from './workstation-host.js';
export { startFailureMessage } from './start-failure.js';
