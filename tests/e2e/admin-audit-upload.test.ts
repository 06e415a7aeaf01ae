// Issue 15: the admin screen shows the audit entries waiting for the hub and when the hub last
// acknowledged an upload. In Chromium against the real host and hub, with the ward's network link
// between them: the admin opens the audit trail; while the link is down the entries she causes wait
// and the count on the screen grows, the last acknowledgement stays as it was; once the link is back
// the host uploads them by itself and the screen says so.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { saveScreenshot } from './support/screenshots.js';
import { connectionBanner, shown, signIn } from './support/workstation-ui.js';

const TEST = 'admin-audit-upload';
const POLL_MS = 1_000;
const UPLOAD_LINE = /^Upload to the hub: (\d+) entr(?:y|ies) waiting; last acknowledged (.+)\.$/;

let stack: WardlineStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 4, days: 1, pollIntervalMs: POLL_MS, seed: 'e2e-admin-audit', networkLink: true });
  browser = await launchChromium();
});

afterAll(async () => {
  stack?.link?.setFaults(null);
  await browser?.close();
  await stack?.close();
});

/** The upload line as shown now: how many wait, and the last acknowledgement. */
async function shownUploadLine(page: Page): Promise<{ waiting: number; acknowledged: string }> {
  const line = await shown(page.getByText(UPLOAD_LINE));
  const match = UPLOAD_LINE.exec(((await line.textContent()) ?? '').trim())!;
  return { waiting: Number(match[1]), acknowledged: match[2]! };
}

/** The number of the newest entry in the list shown; 0 before any list. */
async function newestShown(page: Page): Promise<number> {
  const newest = page.getByRole('region', { name: 'Audit entries' }).getByRole('rowheader').first();
  return (await newest.count()) === 0 ? 0 : Number(await newest.textContent());
}

/**
 * Shows the entries again and reads the upload line of the new answer. The line on screen until that
 * answer arrives is the previous one; each look is itself recorded, so the new answer is the one whose
 * newest entry is later than the newest shown before.
 */
async function uploadLine(page: Page): Promise<{ waiting: number; acknowledged: string }> {
  const before = await newestShown(page);
  await page.getByRole('button', { name: 'Show entries' }).click();
  await expect.poll(() => newestShown(page), { interval: 200 }).toBeGreaterThan(before);
  return shownUploadLine(page);
}

describe('the admin audit screen', () => {
  it(
    'shows the entries waiting for the hub and the last acknowledged upload, and follows the link going down and back',
    { timeout: 240_000 },
    async () => {
      const watched = await watchedPage(browser);
      const { page } = watched;
      onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
      await page.goto(stack.url);
      await signIn(page, stack.account('adam'));
      await shown(page.getByRole('heading', { name: 'Audit trail' }));

      // Online: the host has sent the trail (at most the last looks at it are still on their way).
      await expect.poll(async () => (await uploadLine(page)).waiting, { timeout: 30_000, interval: 1_000 }).toBeLessThanOrEqual(1);
      const online = await uploadLine(page);
      expect(online.acknowledged).not.toBe('never');
      await saveScreenshot(page, TEST, 'online');

      // The link goes down: each look at the trail is an entry that now waits.
      stack.link!.setFaults({ drop: 1 });
      await shown(connectionBanner(page).getByText(/Downtime — /), 8 * POLL_MS + 20_000);
      const first = await uploadLine(page);
      const second = await uploadLine(page);
      const third = await uploadLine(page);
      expect(second.waiting).toBeGreaterThan(first.waiting);
      expect(third.waiting).toBeGreaterThan(second.waiting);
      expect(third.waiting).toBeGreaterThanOrEqual(3);
      // Nothing reaches the hub meanwhile: the last acknowledgement shown does not move.
      expect(third.acknowledged).toBe(first.acknowledged);
      await saveScreenshot(page, TEST, 'waiting');

      // The link is back: the host uploads them by itself.
      stack.link!.setFaults(null);
      // (Online after the first clean sync cycle; "connection problems" while a cycle still meets the outage.)
      await shown(connectionBanner(page).getByText(/Online — connected to the hub\.|Connection problems — /), 8 * POLL_MS + 20_000);
      await expect.poll(async () => (await uploadLine(page)).waiting, { timeout: 30_000, interval: 1_000 }).toBeLessThanOrEqual(1);
      expect((await uploadLine(page)).acknowledged).not.toBe('never');
      await saveScreenshot(page, TEST, 'uploaded');
      expectNoPageProblems(watched);
      await watched.context.close();
    },
  );
});
