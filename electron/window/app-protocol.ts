// The app:// protocol: serves the built renderer (renderer/dist) to the window, and nothing else.
// A request is answered only for a file that was in the build when the host started, named by a
// plain path; anything that looks like traversal (.., backslashes, NUL, any percent-encoding,
// empty segments) is refused before a path is ever built, and unknown paths get 404.
import path from 'node:path';
import type { CustomScheme } from 'electron';
import { listRendererFiles, rendererContentTypeOf } from '../loopback/index.js';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'wardline';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Registered before the app is ready: a standard, secure scheme (so 'self' and origins work); no CSP bypass, no service workers. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = Object.freeze({
  scheme: APP_SCHEME,
  privileges: Object.freeze({
    standard: true,
    secure: true,
    supportFetchAPI: true,
    corsEnabled: false,
    bypassCSP: false,
    allowServiceWorkers: false,
    stream: false,
    codeCache: false,
  }),
});

/** The response headers of every app:// answer. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/** The built renderer: its folder and the files it held at start-up (relative, "/"-separated). */
export interface RendererSite {
  readonly root: string;
  readonly files: ReadonlySet<string>;
}

export type AppResponse =
  | { readonly status: 200; readonly file: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly status: 400 | 403 | 404 | 405; readonly reason: 'malformed' | 'traversal' | 'foreign-origin' | 'unknown-path' | 'method' };

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Lists the regular files under `root` (symbolic links are not followed and not served). */
export function rendererSiteOf(root: string): RendererSite {
  const absolute = path.resolve(root);
  return { root: absolute, files: listRendererFiles(absolute) };
}

/** Decides an app:// request: the file to send with its headers, or why not. Reads nothing. */
export function resolveAppRequest(request: { readonly url: string; readonly method: string }, site: RendererSite): AppResponse {
  if (request.method !== 'GET' && request.method !== 'HEAD') return { status: 405, reason: 'method' };
  const url = request.url;
  if (url.length > 2048) return { status: 400, reason: 'malformed' };
  const prefix = `${APP_ORIGIN}`;
  if (!url.startsWith(prefix)) return { status: 403, reason: 'foreign-origin' };
  const rest = url.slice(prefix.length);
  if (rest !== '' && !/^[/?#]/.test(rest)) return { status: 403, reason: 'foreign-origin' };
  // The raw path, before any parser could normalise it: only plain names and single slashes.
  const rawPath = rest.replace(/[?#][\s\S]*$/, '') || '/';
  if (/[\\%\0]|[^\x21-\x7e]/.test(rawPath)) return { status: 403, reason: 'traversal' };
  const segments = rawPath.slice(1).split('/');
  const relative = rawPath === '/' ? 'index.html' : segments.join('/');
  if (rawPath !== '/') {
    // "", ".", ".." and dot-files: a path no build produces, only an attempt to climb out.
    if (segments.some((segment) => segment === '' || segment.startsWith('.'))) return { status: 403, reason: 'traversal' };
    if (!segments.every((segment) => SEGMENT.test(segment))) return { status: 404, reason: 'unknown-path' };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { status: 400, reason: 'malformed' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username !== '' || parsed.password !== '')
    return { status: 403, reason: 'foreign-origin' };
  if (!site.files.has(relative)) return { status: 404, reason: 'unknown-path' };
  const file = path.join(site.root, ...relative.split('/'));
  if (!file.startsWith(site.root + path.sep)) return { status: 403, reason: 'traversal' };
  return { status: 200, file, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': rendererContentTypeOf(file) } };
}
