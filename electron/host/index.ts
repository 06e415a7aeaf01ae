// The host: composes the rooms (vault, sync, session, audit) from ports for Electron, the CLI and
// the tests. Owns where a workstation's data lives, how it logs, the IPC router to the window, and
// the start-up path (startWorkstation) that sets a deployed workstation up at its first start.
export { resolveDataDir } from './data-dir.js';
export { assertDataDirFree, dataDirHolder, holdDataDir, HOST_LOCK_FILE, type DataDirHold } from './data-dir-holder.js';
export { auditUploaderFor } from './audit-uploads.js';
export { rekeyWorkstation, type RekeyOutcome } from './rekey-workstation.js';
export { createHostLogger, silentLogger, type HostLogger } from './logger.js';
export type { Transport, SenderInfo, RequestServer } from './transport.js';
export { createIpcRouter, type IpcRejection } from './ipc-router.js';
export { HostError } from './host-error.js';
export type { SaveFileChooser, SaveFileRequest } from './save-file-chooser.js';
export { openWorkstationHost, type WorkstationHost } from './workstation-host.js';
export { startWorkstation, type WorkstationStart, type WorkstationStartOptions } from './workstation-start.js';
export { startFailureMessage } from './start-failure.js';
