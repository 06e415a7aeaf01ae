// The loopback server as a browser (or an attacker on this machine) meets it over HTTP: the
// one-time address, the session cookie, the strict headers, and what it refuses to serve.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackCsp } from '../../electron/loopback/index.js';
import { rawGet, sessionCookieFrom, startLoopbackHost, type LoopbackHost } from './loopback-kit.js';

let stack: LoopbackHost;
let port: number;
let cookie: string;

beforeAll(async () => {
  stack = await startLoopbackHost();
  port = stack.server.port;
  cookie = await sessionCookieFrom(stack.server.issueUrl());
});

afterAll(async () => {
  await stack?.close();
});

const pathOf = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

describe('loopback server: the one-time address', () => {
  it('opens a session once: cookie set, sent on to / (the token leaves the address bar); the same address then shows the way in again', async () => {
    const url = stack.server.issueUrl();
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[A-Za-z0-9_-]{43}$`));
    const first = await rawGet(port, pathOf(url));
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = first.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/^wardline_session_\d+=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    const page = await rawGet(port, '/', { cookie: setCookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Wardline</title>');

    const again = await rawGet(port, pathOf(url));
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).toContain('one-time address');
  });

  it('refuses a token it never issued, and every page without the session cookie', async () => {
    expect((await rawGet(port, `/?token=${'A'.repeat(43)}`)).status).toBe(403);
    expect((await rawGet(port, '/?token=')).status).toBe(403);
    const noCookie = await rawGet(port, '/');
    expect(noCookie.status).toBe(403);
    expect(noCookie.body).toContain('one-time address Wardline printed');
    expect((await rawGet(port, '/assets/app.js')).status).toBe(403);
    expect((await rawGet(port, '/', { cookie: `wardline_session_${port}=${'B'.repeat(43)}` })).status).toBe(403);
  });

  it('keeps serving a reload through the cookie, and several tokens open several sessions', async () => {
    const other = await sessionCookieFrom(stack.server.issueUrl());
    for (const session of [cookie, other]) {
      expect((await rawGet(port, '/', { cookie: session })).status).toBe(200);
      expect((await rawGet(port, '/', { cookie: session })).status).toBe(200);
    }
  });
});

describe('loopback server: what every answer carries', () => {
  it('sends the strict CSP, nosniff, no referrer and no caching, on pages, files and refusals alike', async () => {
    const answers = [
      await rawGet(port, '/', { cookie }),
      await rawGet(port, '/assets/app.js', { cookie }),
      await rawGet(port, '/'),
      await rawGet(port, '/nothing', { cookie }),
    ];
    for (const answer of answers) {
      expect(answer.headers['content-security-policy']).toBe(loopbackCsp(port));
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['cache-control']).toBe('no-store');
    }
    expect(loopbackCsp(port)).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws://127.0.0.1:${port}; img-src 'self' data: blob:; object-src 'none'; frame-src blob:; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`,
    );
    expect(answers[1]!.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });
});

describe('loopback server: refusals', () => {
  it('refuses traversal, plain or percent-encoded, and dot-files; unknown paths are 404', async () => {
    for (const path of [
      '/../package.json',
      '/assets/../../etc/passwd',
      '/%2e%2e/package.json',
      '/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/..%2fpackage.json',
      '/assets//app.js',
      '/.secret',
      '/assets\\app.js',
      '/%00',
    ]) {
      const answer = await rawGet(port, path, { cookie });
      expect(answer.status, path).toBe(403);
    }
    expect((await rawGet(port, '/package.json', { cookie })).status).toBe(404);
    expect((await rawGet(port, '/assets/missing.js', { cookie })).status).toBe(404);
  });

  it('answers only for Host 127.0.0.1:<port> (a rebound DNS name gets nothing), and only GET and HEAD', async () => {
    expect((await rawGet(port, '/', { cookie, host: `evil.example:${port}` })).status).toBe(403);
    expect((await rawGet(port, '/', { cookie, host: `localhost:${port}` })).status).toBe(403);
    expect((await rawGet(port, pathOf(stack.server.issueUrl()), { host: `evil.example:${port}` })).status).toBe(403);
    expect((await rawGet(port, '/', { cookie }, 'POST')).status).toBe(405);
    const head = await rawGet(port, '/', { cookie }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('never writes a token or a session secret into the log', async () => {
    const url = stack.server.issueUrl();
    const token = new URL(url).searchParams.get('token')!;
    const session = await sessionCookieFrom(url);
    await rawGet(port, pathOf(url));
    const logs = stack.logs();
    expect(logs).toContain('loopback.session_started');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(session.split('=')[1]!);
  });
});
