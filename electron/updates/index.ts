// The updates room: deciding whether to take an application update. Owns the signed update
// manifest (Ed25519, detached), its verification, and the version rules; no download starts
// before it says yes. electron-updater, when installed, is driven from electron/window/.
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
export { decideUpdate, updatesEnabled, assertOfferMatchesManifest, type UpdateDecision, type UpdateCheck, type OfferedUpdate } from './update-decision.js';
