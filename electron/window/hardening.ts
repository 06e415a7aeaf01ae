// Applies the hardening to Electron's objects: the session's handlers (permissions, certificate
// pinning, spellchecker off) and each page's guards (windows, navigation, webviews, devtools).
// Everything decided here was built by the pure functions beside it.
import type { Session, WebContents } from 'electron';
import { certificateVerifyProc, type PinningRules } from './certificate-pinning.js';
import {
  devicePermissionHandler,
  displayMediaRequestHandler,
  navigationBlocker,
  permissionCheckHandler,
  permissionRequestHandler,
  webviewBlocker,
  windowOpenHandler,
  type RefusalListener,
} from './navigation-guards.js';

export type HardenableSession = Pick<
  Session,
  | 'setPermissionRequestHandler'
  | 'setPermissionCheckHandler'
  | 'setDevicePermissionHandler'
  | 'setDisplayMediaRequestHandler'
  | 'setCertificateVerifyProc'
  | 'setSpellCheckerEnabled'
>;

export function hardenSession(
  session: HardenableSession,
  options: { readonly pinning: PinningRules; readonly onRefused: RefusalListener },
): void {
  session.setPermissionRequestHandler(permissionRequestHandler(options.onRefused));
  session.setPermissionCheckHandler(permissionCheckHandler());
  session.setDevicePermissionHandler(devicePermissionHandler());
  session.setDisplayMediaRequestHandler(displayMediaRequestHandler(options.onRefused));
  session.setCertificateVerifyProc(
    certificateVerifyProc(options.pinning, (host) => options.onRefused({ kind: 'navigation', detail: `certificate refused for ${host}` })),
  );
  session.setSpellCheckerEnabled(false);
}

export type HardenableContents = Pick<WebContents, 'setWindowOpenHandler' | 'on' | 'closeDevTools'>;

export function hardenWebContents(
  contents: HardenableContents,
  options: { readonly packaged: boolean; readonly onRefused: RefusalListener },
): void {
  contents.setWindowOpenHandler(windowOpenHandler(options.onRefused));
  const block = navigationBlocker('navigation', options.onRefused);
  contents.on('will-navigate', (event) => block(event));
  contents.on('will-frame-navigate', (event) => block(event));
  const redirect = navigationBlocker('redirect', options.onRefused);
  contents.on('will-redirect', (event) => redirect(event));
  contents.on('will-attach-webview', webviewBlocker(options.onRefused));
  if (options.packaged) {
    contents.on('devtools-opened', () => {
      options.onRefused({ kind: 'devtools', detail: 'devtools' });
      contents.closeDevTools();
    });
  }
}
