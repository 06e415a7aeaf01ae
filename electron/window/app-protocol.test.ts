import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProtocolHandler } from './app-protocol-handler.js';
import { rendererSiteOf, resolveAppRequest, type RendererSite } from './app-protocol.js';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.js';

let base: string;
let site: RendererSite;
const SECRET = 'vault key material that must never be served';

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'wardline-app-protocol-'));
  const root = path.join(base, 'dist');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Wardline</title>');
  writeFileSync(path.join(root, 'assets', 'index-1a2b3c.js'), 'console.log("wardline")');
  writeFileSync(path.join(root, 'assets', 'index-4d5e.css'), 'body{}');
  writeFileSync(path.join(root, '.env'), SECRET);
  writeFileSync(path.join(base, 'secret.txt'), SECRET);
  symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'linked.js'));
  site = rendererSiteOf(root);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string) => resolveAppRequest({ url, method: 'GET' }, site);

describe('the app:// protocol', () => {
  it('serves the built renderer with the CSP and no-sniff headers', () => {
    expect(site.files).toEqual(new Set(['index.html', 'assets/index-1a2b3c.js', 'assets/index-4d5e.css']));
    for (const url of [
      'app://wardline',
      'app://wardline/',
      'app://wardline/index.html',
      'app://wardline/?lang=en',
      'app://wardline/#/census',
    ]) {
      expect(get(url)).toMatchObject({ status: 200, file: path.join(site.root, 'index.html') });
    }
    const script = get('app://wardline/assets/index-1a2b3c.js');
    expect(script).toMatchObject({
      status: 200,
      headers: {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });

  it.each([
    ['dot-dot', 'app://wardline/../secret.txt'],
    ['dot-dot below a folder', 'app://wardline/assets/../../secret.txt'],
    ['a single dot', 'app://wardline/./index.html'],
    ['percent-encoded dots', 'app://wardline/%2e%2e/secret.txt'],
    ['percent-encoded dots, upper case', 'app://wardline/%2E%2E/secret.txt'],
    ['an encoded slash', 'app://wardline/assets%2f..%2f..%2fsecret.txt'],
    ['double-encoded dots', 'app://wardline/%252e%252e/secret.txt'],
    ['double-encoded slash', 'app://wardline/..%252fsecret.txt'],
    ['an overlong UTF-8 dot', 'app://wardline/%c0%ae%c0%ae/secret.txt'],
    ['backslashes', 'app://wardline/assets\\..\\..\\secret.txt'],
    ['an encoded backslash', 'app://wardline/..%5csecret.txt'],
    ['an encoded backslash, upper case', 'app://wardline/..%5Csecret.txt'],
    ['a NUL byte', 'app://wardline/index.html\u0000.js'],
    ['an encoded NUL', 'app://wardline/index.html%00.js'],
    ['an empty segment', 'app://wardline//etc/passwd'],
    ['a dot-file', 'app://wardline/.env'],
    ['non-ASCII', 'app://wardline/ａｓｓｅｔｓ/index-1a2b3c.js'],
  ])('refuses traversal by %s', (_, url) => {
    expect(get(url)).toEqual({ status: 403, reason: 'traversal' });
  });

  it('answers 404 for paths the build does not have, a folder, or a symbolic link', () => {
    for (const url of [
      'app://wardline/nope.js',
      'app://wardline/assets',
      'app://wardline/assets/linked.js',
      'app://wardline/INDEX.HTML',
      'app://wardline/index.html/',
    ]) {
      expect(get(url)).toMatchObject({ status: expect.any(Number) });
      expect((get(url) as { status: number }).status).not.toBe(200);
    }
    expect(get('app://wardline/nope.js')).toEqual({ status: 404, reason: 'unknown-path' });
    expect(get('app://wardline/assets/linked.js')).toEqual({ status: 404, reason: 'unknown-path' });
  });

  it('refuses other hosts and schemes, credentials in the URL, and methods other than GET/HEAD', () => {
    for (const url of [
      'app://evil/index.html',
      'app://wardline.evil.example/index.html',
      'app://user:pw@wardline/index.html',
      'https://wardline/index.html',
      'file:///etc/passwd',
    ]) {
      expect(get(url)).toEqual({ status: 403, reason: 'foreign-origin' });
    }
    expect(resolveAppRequest({ url: 'app://wardline/index.html', method: 'POST' }, site)).toEqual({ status: 405, reason: 'method' });
  });

  it('never resolves any request to a file outside the build, whatever the path', () => {
    const pathChars = fc.constantFrom(
      'a',
      'assets',
      'index-1a2b3c.js',
      'index.html',
      '.',
      '..',
      '/',
      '\\',
      '%',
      '%2e',
      '%2f',
      '%5c',
      '%25',
      '%00',
      '\u0000',
      '?',
      '#',
      ' ',
      'é',
      '~',
    );
    fc.assert(
      fc.property(fc.array(pathChars, { maxLength: 12 }), (parts) => {
        const decision = get(`app://wardline/${parts.join('')}`);
        if (decision.status === 200) {
          expect(decision.file.startsWith(site.root + path.sep)).toBe(true);
          expect([...site.files].map((f) => path.join(site.root, ...f.split('/')))).toContain(decision.file);
        }
      }),
      { numRuns: 3000, seed: 20261206 },
    );
  });

  it("answers through the handler Electron calls: the file's bytes, or an empty refusal", async () => {
    const refusals: string[] = [];
    const handle = appProtocolHandler(site, (r) => refusals.push(r.reason));
    const page = await handle(new Request('app://wardline/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>Wardline</title>');
    const head = await handle(new Request('app://wardline/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const refused = await handle(new Request('app://wardline/..%5csecret.txt'));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('');
    const missing = await handle(new Request('app://wardline/assets/linked.js'));
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain(SECRET);
    expect(refusals).toEqual(['traversal', 'unknown-path']);
  });
});
