// The updates room: deciding whether to take an application update. Owns the signed update
// manifest (Ed25519, detached), its verification, the version rules, and the check flow around the
// Updater port; no download starts before it says yes, and nothing installs that does not hash to
// it. electron-updater is adapted to the port in electron/window/.
export { UpdateError } from './update-error.js';
export {
  manifestFileOf,
  manifestExpiry,
  updateManifestText,
  signUpdateManifest,
  DEFAULT_MANIFEST_VALIDITY_DAYS,
  MAX_MANIFEST_VALIDITY_DAYS,
} from './update-manifest.js';
export { decideUpdate } from './update-decision.js';
export type { Updater, DownloadedUpdate, FetchUpdateFile } from './updater-port.js';
export { runUpdateCheck, inMemoryManifestMemory, type ManifestMemory } from './update-flow.js';
export { startUpdateService, type UpdateService } from './update-service.js';
