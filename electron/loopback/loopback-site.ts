// The built renderer as the loopback server serves it: the files the build held when the server
// started (symbolic links and dot-files left out), and the decision for a request's raw path.
// Anything that looks like traversal (.., backslashes, NUL, any percent-encoding, empty segments)
// is refused before a path is built; a name the build does not hold is unknown (404).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { HostError } from '../host/index.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export interface RendererFiles {
  readonly root: string;
  /** Relative, "/"-separated paths. */
  readonly files: ReadonlySet<string>;
}

export type SiteDecision =
  | { readonly kind: 'file'; readonly file: string; readonly contentType: string }
  | { readonly kind: 'refused'; readonly status: 403 | 404; readonly reason: 'traversal' | 'unknown-path' };

/** Lists the built renderer under `root`; refuses a folder without an index.html. */
export function rendererFilesOf(root: string): RendererFiles {
  const absolute = path.resolve(root);
  if (!existsSync(path.join(absolute, 'index.html'))) {
    throw new HostError('RENDERER_MISSING', `There is no built renderer in ${absolute}. Build it first: npm run build:renderer`);
  }
  return { root: absolute, files: listRendererFiles(absolute) };
}

/**
 * The files of a renderer build under `absolute` that may be served (relative, "/"-separated):
 * regular files of a known type with plain names; symbolic links and dot-files are left out.
 * Shared by this server and the Electron window's app:// protocol.
 */
export function listRendererFiles(absolute: string): Set<string> {
  const files = new Set<string>();
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!SEGMENT.test(entry.name)) continue;
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relative);
      else if (entry.isFile() && Object.hasOwn(CONTENT_TYPES, path.extname(entry.name).toLowerCase())) files.add(relative);
    }
  };
  walk(absolute, '');
  return files;
}

/** The Content-Type a renderer file is served with. */
export function rendererContentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Decides a request's raw path (as sent, without the query): the file to send, or why not. */
export function resolveSitePath(rawPath: string, site: RendererFiles): SiteDecision {
  if (/[\\%\0]|[^\x21-\x7e]/.test(rawPath) || !rawPath.startsWith('/')) return { kind: 'refused', status: 403, reason: 'traversal' };
  const relative = rawPath === '/' ? 'index.html' : rawPath.slice(1);
  const segments = relative.split('/');
  if (segments.some((segment) => segment === '' || segment.startsWith('.'))) return { kind: 'refused', status: 403, reason: 'traversal' };
  if (!segments.every((segment) => SEGMENT.test(segment)) || !site.files.has(relative))
    return { kind: 'refused', status: 404, reason: 'unknown-path' };
  const file = path.join(site.root, ...segments);
  if (!file.startsWith(site.root + path.sep)) return { kind: 'refused', status: 403, reason: 'traversal' };
  return { kind: 'file', file, contentType: rendererContentTypeOf(file) };
}
