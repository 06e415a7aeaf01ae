import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_RESPONSE_HEADERS } from './app-protocol.js';
import { CONTENT_SECURITY_POLICY, parseContentSecurityPolicy, unsafeSources } from './content-security-policy.js';

describe('the Content-Security-Policy', () => {
  const csp = parseContentSecurityPolicy(CONTENT_SECURITY_POLICY);

  it('allows no eval, no inline script and no remote origin', () => {
    expect(unsafeSources(CONTENT_SECURITY_POLICY)).toEqual([]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|https?:|wss?:|\*/);
  });

  it('denies by default and names the app itself as the only source of script and style', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    for (const directive of ['object-src', 'frame-src', 'worker-src', 'base-uri', 'form-action', 'frame-ancestors'])
      expect(csp.get(directive)).toEqual(["'none'"]);
  });

  it('is sent with every app:// response', () => {
    expect(APP_RESPONSE_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('spots what would weaken a policy', () => {
    expect(unsafeSources("script-src 'self' 'unsafe-eval'")).toEqual(["script-src 'unsafe-eval'"]);
    expect(unsafeSources("script-src 'self' 'unsafe-inline'")).toEqual(["script-src 'unsafe-inline'"]);
    expect(unsafeSources('connect-src https://hub.example')).toEqual(['connect-src https://hub.example']);
    expect(unsafeSources('img-src *')).toEqual(['img-src *']);
    expect(unsafeSources('script-src cdn.example.com')).toEqual(['script-src cdn.example.com']);
    expect(unsafeSources('script-src blob:')).toEqual(['script-src blob:']);
    // The page's own in-memory PDF in a frame (evaluation mode) is not from elsewhere.
    expect(unsafeSources('frame-src blob:')).toEqual([]);
  });

  it("is not undercut by the renderer page's own meta policy", () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    expect(unsafeSources(meta!)).toEqual([]);
  });
});
