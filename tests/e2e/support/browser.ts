// Debian's Chromium for the e2e suite, and pages that watch themselves: every console error,
// uncaught page error and Content-Security-Policy violation is collected, so a test can fail on
// any of them (expectNoPageProblems) besides what it asserts on screen.
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless Chromium as the suite runs it (`npx playwright install` is not available here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}

export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors, page errors and CSP violations seen so far (in order). */
  readonly problems: string[];
}

/** The binding the page's CSP listener reports through (installed before any page script runs). */
const CSP_BINDING = 'wardlineE2eReportCspViolation';
const CSP_LISTENER = `document.addEventListener('securitypolicyviolation', (event) => {
  window.${CSP_BINDING}(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' at ' + event.sourceFile + ':' + event.lineNumber);
});`;

/** A fresh browser context (own cookies and storage) and a page in it, watched for problems. */
export async function watchedPage(browser: Browser, options: { viewport?: { width: number; height: number } } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 960 },
    acceptDownloads: true,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.exposeBinding(CSP_BINDING, (_source, text: string) => void problems.push(`CSP violation: ${text}`));
  await page.addInitScript({ content: CSP_LISTENER });
  return { page, context, problems };
}

/** Fails the test if the page logged an error, threw, or broke its Content-Security-Policy. */
export function expectNoPageProblems(watched: WatchedPage): void {
  expect(watched.problems, 'console errors, page errors or CSP violations').toEqual([]);
}
