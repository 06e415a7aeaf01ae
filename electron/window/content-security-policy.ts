// The window's Content-Security-Policy, sent as a header with every app:// response: only the
// app's own scripts and styles, no eval, no inline script, no remote origin of any kind, no
// plugins, frames, workers, forms or <base>. The renderer reaches the host through
// window.wardline only, so it needs no network at all.

export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'media-src': ["'none'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'worker-src': ["'none'"],
  'manifest-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
});

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
  .join('; ');

/** A policy's directives by name (for checking a policy, e.g. the one in renderer/index.html). */
export function parseContentSecurityPolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name !== undefined && name !== '' && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Sources that would let code from elsewhere, or built at run time, into the window. */
export function unsafeSources(policy: string): string[] {
  const found: string[] = [];
  for (const [directive, sources] of parseContentSecurityPolicy(policy)) {
    for (const source of sources) {
      const lower = source.toLowerCase();
      // A blob: frame is the page's own in-memory document (the printed MAR shown in evaluation mode).
      const ownBlobFrame = directive === 'frame-src' && lower === 'blob:';
      const remote =
        !ownBlobFrame &&
        (lower === '*' || /^(https?|wss?|ftp|blob|filesystem):/.test(lower) || /^[a-z0-9*.-]+\.[a-z]{2,}(:\d+)?(\/.*)?$/.test(lower));
      const dangerous =
        lower === "'unsafe-eval'" ||
        lower === "'wasm-unsafe-eval'" ||
        lower === "'unsafe-hashes'" ||
        (lower === "'unsafe-inline'" && directive !== 'style-src');
      if (remote || dangerous) found.push(`${directive} ${source}`);
    }
  }
  return found;
}
