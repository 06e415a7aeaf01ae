// Evaluation mode in a real browser (Debian's Chromium): the page opened with the one-time URL gets
// `window.wardline` over the loopback WebSocket, under the server's strict CSP, and reaches the host
// (and through it the hub) with it. A browser without the session gets neither the app nor the API.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WardlineApi } from '../../shared/contract/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';

let stack: WardlineStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 4, days: 2, pollIntervalMs: 2_000 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

type PageWindow = { wardline?: WardlineApi };

/** A page in its own browser context, with every CSP violation and uncaught page error collected. */
async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.text().startsWith('CSP violation')) problems.push(message.text());
  });
  await page.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  });
  return { page, problems };
}

describe('evaluation mode in Chromium', () => {
  it('gives the page window.wardline over loopback: session.state() and, signed in, the census answer through the host', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(stack.url);
    expect(page.url()).toBe(`${stack.origin}/`);
    const state = await page.evaluate(() => (globalThis as unknown as PageWindow).wardline!.session.state());
    expect(state).toMatchObject({ ok: true, value: { status: 'signed-out', active: null } });

    const nina = stack.account('nina');
    const census = await page.evaluate(
      async ({ username, password }) => {
        const api = (globalThis as unknown as PageWindow).wardline!;
        const signedIn = await api.session.signIn({ username, password });
        const beds = await api.chart.census();
        return { signedIn: signedIn.ok, patients: beds.ok ? beds.value.length : beds.error.code };
      },
      { username: nina.username, password: nina.password },
    );
    expect(census).toEqual({ signedIn: true, patients: 4 });

    const replaced = await page.evaluate(() => {
      const target = globalThis as unknown as PageWindow;
      const before = target.wardline;
      try {
        (target as { wardline?: unknown }).wardline = { session: {} };
      } catch {
        // strict-mode assignment to a read-only property
      }
      return target.wardline === before;
    });
    expect(replaced).toBe(true);

    await page.reload();
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).wardline!.session.state().then((r) => r.ok))).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('lets a test take the hub down and bring it back on the same port: the workstation notices both', async () => {
    const syncState = (): string => stack.host.sync!.status().state;
    const url = stack.hub.url;
    await stack.hub.stop();
    expect(stack.hub.isRunning()).toBe(false);
    await expect.poll(syncState, { timeout: 30_000, interval: 250 }).toMatch(/^(offline|hub-down)$/);
    await stack.hub.start();
    expect(stack.hub.url).toBe(url);
    // Reachable again ('degraded' when this machine is slow to answer).
    await expect.poll(syncState, { timeout: 30_000, interval: 250 }).toMatch(/^(online|degraded)$/);
  });

  it('shows a browser without the session the way in, and no app: the used URL does not work twice', async () => {
    const { page } = await watchedPage();
    const response = await page.goto(stack.url);
    expect(response?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('one-time address');
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).wardline === undefined)).toBe(true);
    await page.context().close();
  });
});
