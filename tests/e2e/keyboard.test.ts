// The workstation from the keyboard, as a nurse who never reaches for the mouse: the census opens
// with the search box focused; "/" and Ctrl+K bring the focus back to it; Esc leaves a chart for
// the census with that patient's row focused; Ctrl+Shift+L locks, and the census is off the page
// at once. Each shortcut acts on the screen shown now (the chart just opened, not the census the
// page started on).
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, nurseablePatient } from './support/ward.js';
import { censusHeading, censusRow, chartRegion, expectCensus, lockHeading, openChart, shown, signIn } from './support/workstation-ui.js';

const TEST = 'keyboard';
let stack: WardlineStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 10, days: 2, pollIntervalMs: 5_000, seed: 'e2e-keyboard' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const searchBox = (page: Page): Locator => page.getByRole('searchbox', { name: 'Find a patient' });
const isFocused = (locator: Locator): Promise<boolean> =>
  locator.evaluate((element) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement);

describe('the workstation from the keyboard', () => {
  it('moves between the census, its search box and a chart with the shortcut keys, and locks', { timeout: 300_000 }, async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const name = censusName(nurseablePatient(stack.ward).patient);

    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);
    await expect.poll(() => isFocused(searchBox(page))).toBe(true);

    // Away from the search box (on a row), "/" brings the focus back; so does Ctrl+K.
    await censusRow(page, name).focus();
    await page.keyboard.press('/');
    await expect.poll(() => isFocused(searchBox(page))).toBe(true);
    await expect(searchBox(page).inputValue()).resolves.toBe('');
    await censusRow(page, name).focus();
    await page.keyboard.press('Control+K');
    await expect.poll(() => isFocused(searchBox(page))).toBe(true);

    // Esc on a chart goes back to the census, with the focus on the row of the patient just seen.
    await openChart(page, name);
    await shown(chartRegion(page));
    await page.keyboard.press('Escape');
    await shown(censusHeading(page));
    await expect.poll(() => isFocused(censusRow(page, name))).toBe(true);

    // Ctrl+Shift+L takes every patient's name off the page in the same task as the key press
    // (before the host is even asked): a listener that runs right after the app's one sees only
    // the cover. What it saw is kept across the purge reload as two flags, never the page itself.
    await page.evaluate((patientName) => {
      const web = globalThis as unknown as {
        addEventListener(type: string, listener: () => void): void;
        document: { documentElement: { outerHTML: string } };
        sessionStorage: { setItem(key: string, value: string): void };
      };
      web.addEventListener('keydown', () => {
        const html = web.document.documentElement.outerHTML;
        const seen = { name: html.includes(patientName), cover: html.includes('Wardline is closing this screen') };
        web.sessionStorage.setItem('e2e.page-at-lock-key', JSON.stringify(seen));
      });
    }, name);
    await page.keyboard.press('Control+Shift+L');
    await shown(lockHeading(page));
    const seenAtKey = await page.evaluate(() =>
      (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('e2e.page-at-lock-key'),
    );
    expect(JSON.parse(seenAtKey ?? 'null'), 'the page right after the lock key').toEqual({ name: false, cover: true });
    expectNoPageProblems(watched);
  });
});
