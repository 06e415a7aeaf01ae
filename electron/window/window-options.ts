// The main window's options, built by a pure function so every security setting can be checked
// without Electron: an isolated, sandboxed renderer without Node, web security on, no webviews,
// no spellchecker downloads, an in-memory session (nothing the page caches reaches the disk), and
// devtools only in development builds.
import type { BrowserWindowConstructorOptions } from 'electron';

/** The window's session partition: no "persist:" prefix, so Chromium keeps its cache and storage in memory only. */
export const WINDOW_PARTITION = 'wardline';

export interface MainWindowSettings {
  /** Absolute path of the bundled preload script. */
  readonly preload: string;
  /** app.isPackaged: a packaged build never opens devtools. */
  readonly packaged: boolean;
}

export function mainWindowOptions({ preload, packaged }: MainWindowSettings): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Wardline',
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload,
      partition: WINDOW_PARTITION,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      enableWebSQL: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: !packaged,
      autoplayPolicy: 'document-user-activation-required',
    },
  };
}

/** setContentProtection keeps the window out of screenshots and screen sharing on Windows and macOS; Linux has no equivalent. */
export function contentProtectionSupported(platform: NodeJS.Platform): boolean {
  return platform === 'win32' || platform === 'darwin';
}
