// What every loopback response carries: a strict Content-Security-Policy (the page may load only
// its own files and talk only to this server's WebSocket; frames only its own in-memory PDFs), no sniffing, no referrer, no caching;
// and the session cookie (HttpOnly, SameSite=Strict), named after the port so two servers on
// 127.0.0.1 keep apart.

/** `http://127.0.0.1:<port>`: the only origin the loopback server answers as. */
export function loopbackOrigin(port: number): string {
  return `http://127.0.0.1:${port}`;
}

export function loopbackCsp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "img-src 'self' data: blob:",
    "object-src 'none'",
    // A printed MAR is shown from memory in a frame over a blob: URL of this page (never a download).
    'frame-src blob:',
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function loopbackHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': loopbackCsp(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export function sessionCookieName(port: number): string {
  return `wardline_session_${port}`;
}

/** The Set-Cookie value: a browser-session cookie the page's scripts cannot read. */
export function sessionCookie(port: number, secret: string): string {
  return `${sessionCookieName(port)}=${secret}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The value of cookie `name` in a Cookie header (the first one), or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
