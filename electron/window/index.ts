// The window: everything Electron-specific about showing Wardline — BrowserWindow hardening, the
// CSP, the app:// protocol, navigation and permission guards, certificate pinning, and the
// adapters of the host's ports (safeStorage, powerMonitor, ipcMain, electron-updater). Only here
// (and main.ts, preload.ts) are the electron and electron-updater packages imported.
export { SafeStorageCustodian, type SafeStorageCustodianOptions } from './safe-storage-custodian.js';
export { createWrappedKeyFileStore, type WrappedKeyStore } from './wrapped-key-files.js';
export { chooseKeyCustodian, electronKeyCustodian, WRAPPED_KEYS_FOLDER, type CustodianChoice } from './key-custodian-choice.js';
export { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, parseContentSecurityPolicy, unsafeSources } from './content-security-policy.js';
export {
  APP_SCHEME,
  APP_HOST,
  APP_ORIGIN,
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  APP_RESPONSE_HEADERS,
  rendererSiteOf,
  resolveAppRequest,
  type AppResponse,
  type RendererSite,
} from './app-protocol.js';
export { appProtocolHandler, type AppRefusalListener } from './app-protocol-handler.js';
export { mainWindowOptions, contentProtectionSupported, WINDOW_PARTITION, type MainWindowSettings } from './window-options.js';
export {
  permissionRequestHandler,
  permissionCheckHandler,
  devicePermissionHandler,
  displayMediaRequestHandler,
  windowOpenHandler,
  navigationBlocker,
  webviewBlocker,
  schemeOf,
  type Refusal,
  type RefusalListener,
} from './navigation-guards.js';
export {
  certificateVerdict,
  certificateVerifyProc,
  pinningRulesOf,
  CERTIFICATE_ACCEPT,
  CERTIFICATE_REJECT,
  CERTIFICATE_USE_CHROMIUM,
  type PinningRules,
} from './certificate-pinning.js';
export { hardenSession, hardenWebContents, type HardenableSession, type HardenableContents } from './hardening.js';
export { appSenderCheck, senderInfoOf } from './ipc-sender.js';
export { ipcMainTransport, type IpcMainTransportOptions } from './ipc-main-transport.js';
export { PowerMonitorEvents } from './power-monitor-events.js';
export { electronUpdaterPort, type AppUpdaterLike } from './electron-updater-port.js';
export { sessionUpdateFetch, MAX_UPDATE_FILE_BYTES } from './update-feed-fetch.js';
export { startAutoUpdates, type AutoUpdateOptions } from './auto-update.js';
