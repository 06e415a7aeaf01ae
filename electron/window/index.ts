// The window: everything Electron-specific about showing Wardline — BrowserWindow hardening, the
// CSP, the app:// protocol, navigation and permission guards, certificate pinning, and the
// adapters of the host's ports (safeStorage, powerMonitor, ipcMain, electron-updater, the print dialog, the save dialog). Only here
// (and main.ts, preload.ts) are the electron and electron-updater packages imported.
export { electronKeyCustodian } from './key-custodian-choice.js';
export { APP_SCHEME, APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, rendererSiteOf } from './app-protocol.js';
export { appProtocolHandler } from './app-protocol-handler.js';
export { mainWindowOptions, contentProtectionSupported, WINDOW_PARTITION } from './window-options.js';
export { type Refusal } from './navigation-guards.js';
export {
  certificateVerdict,
  certificateVerifyProc,
  pinningRulesOf,
  CERTIFICATE_ACCEPT,
  CERTIFICATE_REJECT,
  CERTIFICATE_USE_CHROMIUM,
} from './certificate-pinning.js';
export { hardenSession, hardenWebContents } from './hardening.js';
export { appSenderCheck } from './ipc-sender.js';
export { ipcMainTransport } from './ipc-main-transport.js';
export { PowerMonitorEvents } from './power-monitor-events.js';
export { startAutoUpdates } from './auto-update.js';
export { printDialogDelivery, PRINT_WINDOW_OPTIONS, type PrintWindow } from './print-dialog-delivery.js';
export { saveDialogChooser, type SaveDialog } from './save-dialog-chooser.js';
