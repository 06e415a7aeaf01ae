// What the window's pages may not do, as handlers built without Electron: open windows, navigate
// anywhere (the app is one page; its routes change the hash, which is not a navigation), attach
// webviews, or get any permission (camera, notifications, clipboard, USB, HID, serial…).
import type { HandlerDetails, Session, WindowOpenHandlerResponse } from 'electron';

export type PermissionRequestHandler = NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>;
export type PermissionCheckHandler = NonNullable<Parameters<Session['setPermissionCheckHandler']>[0]>;
export type DevicePermissionHandler = NonNullable<Parameters<Session['setDevicePermissionHandler']>[0]>;
export type DisplayMediaRequestHandler = NonNullable<Parameters<Session['setDisplayMediaRequestHandler']>[0]>;

/** Something a page tried and was refused (for the log: the kind and the permission or scheme, never a full URL). */
export interface Refusal {
  readonly kind: 'permission' | 'window-open' | 'navigation' | 'redirect' | 'webview' | 'devtools';
  readonly detail: string;
}

export type RefusalListener = (refusal: Refusal) => void;

/** The scheme of a URL, for the log (a full URL could carry data). */
export function schemeOf(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return match === null ? '(none)' : match[1]!.toLowerCase();
}

export function permissionRequestHandler(onRefused: RefusalListener): PermissionRequestHandler {
  return (_contents, permission, callback) => {
    onRefused({ kind: 'permission', detail: permission });
    callback(false);
  };
}

export function permissionCheckHandler(): PermissionCheckHandler {
  return () => false;
}

export function devicePermissionHandler(): DevicePermissionHandler {
  return () => false;
}

export function displayMediaRequestHandler(onRefused: RefusalListener): DisplayMediaRequestHandler {
  return (_request, callback) => {
    onRefused({ kind: 'permission', detail: 'display-capture' });
    callback({});
  };
}

export function windowOpenHandler(onRefused: RefusalListener): (details: HandlerDetails) => WindowOpenHandlerResponse {
  return (details) => {
    onRefused({ kind: 'window-open', detail: schemeOf(details.url) });
    return { action: 'deny' };
  };
}

/** For will-navigate, will-frame-navigate and will-redirect: every navigation is stopped. */
export function navigationBlocker(
  kind: 'navigation' | 'redirect',
  onRefused: RefusalListener,
): (event: { preventDefault(): void; readonly url?: string }) => void {
  return (event) => {
    event.preventDefault();
    onRefused({ kind, detail: schemeOf(event.url ?? '') });
  };
}

export function webviewBlocker(onRefused: RefusalListener): (event: { preventDefault(): void }) => void {
  return (event) => {
    event.preventDefault();
    onRefused({ kind: 'webview', detail: 'webview' });
  };
}
