// The host: composes the rooms (vault, sync, session, audit) from ports for Electron, the CLI and
// the tests. Owns where a workstation's data lives and how it logs.
export { resolveDataDir, defaultDataDir, APP_FOLDER_NAME } from './data-dir.js';
export { createHostLogger, silentLogger, LOG_FILE_NAME, type HostLogger } from './logger.js';
export { vaultCredentialStore } from './vault-credential-store.js';
