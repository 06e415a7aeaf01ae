// The idle lock as an attacker at an abandoned workstation would probe it: after the idle timeout
// the screen locks by itself, and neither the page (DOM, storage) nor its JavaScript heap (a heap
// snapshot over the DevTools protocol) holds any patient's name or MRN. Another nurse can sign in
// meanwhile and sees nothing of the first one's work; the owner's PIN (offered after her first sign-in
// here) brings back the same chart.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { builtRenderer } from '../support/renderer-build.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { foundIn, heapStrings } from './support/heap.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, nurseablePatient, patientIdentifiers } from './support/ward.js';
import {
  chartRegion,
  censusHeading,
  expectCensus,
  lockHeading,
  openChart,
  openChartTab,
  setPinFromOffer,
  shown,
  submitSignIn,
  unlockWithPin,
  signIn,
} from './support/workstation-ui.js';

const TEST = 'idle-lock';
/**
 * Longer than the renderer's activity throttle (it tells the host of activity at most every 30 s),
 * so the session does not lock while the test is still working.
 */
const IDLE_MS = 45_000;
let stack: WardlineStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 10, days: 2, idleTimeoutMs: IDLE_MS, pollIntervalMs: 5_000, seed: 'e2e-idle-lock' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Everything the built renderer ships (scripts, styles): a name found there is code, not data. */
function rendererBundleText(dir: string): string {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return files.map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8')).join('\n');
}

/** What page scripts can read from storage (sessionStorage and localStorage), as one text. */
const storageText = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const web = globalThis as unknown as { sessionStorage: Record<string, string>; localStorage: Record<string, string> };
    return JSON.stringify([Object.entries(web.sessionStorage), Object.entries(web.localStorage)]);
  });

describe('the idle lock', () => {
  it(
    "locks by itself and leaves no patient name in the DOM or the JS heap; another user sees nothing of the first; the owner's PIN brings the chart back",
    { timeout: 240_000 },
    async () => {
      const watched = await watchedPage(browser);
      const { page } = watched;
      onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
      const nina = stack.account('nina');
      const patient = nurseablePatient(stack.ward, () => true, 1);
      const name = censusName(patient.patient);
      const censusNames = stack.ward.patients.map((p) => censusName(p.patient));
      const bundle = rendererBundleText(await builtRenderer());
      const familyNames = [...new Set(stack.ward.patients.map((p) => p.patient.name?.[0]?.family ?? ''))].filter(
        (family) => family.length > 3 && !bundle.includes(family),
      );
      const identifiers = [...patientIdentifiers(stack.ward), ...familyNames];

      await page.goto(stack.url);
      await signIn(page, nina);
      // Her first online sign-in here: Wardline offers her a PIN.
      await setPinFromOffer(page, '2468');
      await expectCensus(page, stack.ward.patients.length);
      await openChart(page, name);
      await openChartTab(page, 'Medications');
      await shown(chartRegion(page).getByRole('table', { name: 'Active medication orders' }));

      // While signed in, the heap holds the ward's names: the search below can find them.
      const heapBefore = await heapStrings(page);
      expect(foundIn(heapBefore, censusNames)).toEqual(censusNames);
      expect(await page.content()).toContain(name);

      // Nobody touches the workstation: it locks by itself after the idle timeout.
      await shown(lockHeading(page), IDLE_MS + 15_000);
      await shown(page.getByRole('button', { name: /^nina\b.*locked after a time without activity/ }));
      expect(stack.host.sessions.current().active).toBeNull();

      expect(foundIn(await page.content(), identifiers), 'patient identifiers in the DOM after the lock').toEqual([]);
      expect(foundIn(await heapStrings(page), identifiers), 'patient identifiers in the JS heap after the lock').toEqual([]);
      expect(foundIn(await storageText(page), identifiers), 'patient identifiers in web storage after the lock').toEqual([]);
      await saveScreenshot(page, TEST, 'lock-screen');
      await expectAccessible(page, 'lock');

      // Another nurse signs in while nina's session stays locked: she gets her own census, not nina's chart.
      await page.getByRole('button', { name: 'Switch user' }).click();
      await shown(page.getByRole('heading', { name: 'Sign in as another user' }));
      await saveScreenshot(page, TEST, 'switch-user');
      await expectAccessible(page, 'switch user');
      await submitSignIn(page, stack.account('noor'));
      await shown(censusHeading(page));
      await shown(page.getByRole('banner').getByText('noor', { exact: true }));
      expect(await chartRegion(page).count()).toBe(0);
      expect(await page.getByRole('tab', { name: 'Medications' }).count()).toBe(0);
      expect(await page.getByRole('heading', { level: 2, name }).count()).toBe(0);
      expect(await page.getByRole('banner').getByText('nina', { exact: true }).count()).toBe(0);
      await saveScreenshot(page, TEST, 'second-user-census');

      // noor locks; nina picks her session and unlocks with her PIN: the same chart, the same tab.
      await page.getByRole('button', { name: 'Lock', exact: true }).click();
      await shown(page.getByRole('list', { name: 'Locked sessions' }).getByRole('button', { name: /^noor\b/ }));
      await saveScreenshot(page, TEST, 'lock-two-sessions');
      await unlockWithPin(page, nina.username, '2468');
      await shown(page.getByRole('heading', { level: 2, name }));
      await expect.poll(() => page.getByRole('tab', { name: 'Medications' }).getAttribute('aria-selected')).toBe('true');
      await shown(chartRegion(page).getByRole('table', { name: 'Active medication orders' }));
      await saveScreenshot(page, TEST, 'unlocked-same-chart');

      expectNoPageProblems(watched);
      await watched.context.close();
    },
  );
});
