// The updates room: deciding whether to take an application update. Owns the signed update
// manifest (Ed25519, detached), its verification, the version rules, and the check flow around the
// Updater port; no download starts before it says yes, and nothing installs that does not hash to
// it. electron-updater is adapted to the port in electron/window/.
export { UpdateError, isUpdateError, type UpdateErrorCode } from './update-error.js';
export { compareVersions, isVersion } from './version-order.js';
export {
  UPDATE_MANIFEST_FILE,
  UPDATE_SIGNATURE_FILE,
  manifestFileOf,
  updateManifestText,
  signUpdateManifest,
  verifyUpdateManifest,
  updateManifestSchema,
  type UpdateManifest,
  type ManifestFile,
} from './update-manifest.js';
export {
  decideUpdate,
  updatesEnabled,
  assertOfferMatchesManifest,
  type UpdateDecision,
  type UpdateCheck,
  type OfferedUpdate,
} from './update-decision.js';
export type { Updater, DownloadedUpdate, FetchUpdateFile } from './updater-port.js';
export { runUpdateCheck, updateFeedBase, sha512OfFile, type UpdateOutcome, type UpdateFlowOptions } from './update-flow.js';
export {
  startUpdateService,
  FIRST_UPDATE_CHECK_AFTER_MS,
  UPDATE_CHECK_INTERVAL_MS,
  type UpdateService,
  type UpdateServiceOptions,
} from './update-service.js';
