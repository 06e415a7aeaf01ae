// What the screen says is true when sync stops while the hub still answers (issue 15: once the
// banner said "ONLINE" for 16 minutes with an entry waiting, after the data folder had changed under
// the running host). In Chromium against the real host and hub: the data folder's sync lock can no
// longer be taken, so every cycle fails before it reaches the hub. A nurse records vital signs; the
// banner stops saying "Online" and says "Sync stopped" and why (at the first failed cycle: the data
// folder cannot be used, a failure no waiting fixes), with the entry waiting and the data not called
// up to date; once the folder is usable again the banner says "Online" by itself (the next try on the
// backoff) and the entry reaches the hub exactly once.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Observation } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { documentedHeartRates, hubReader, type HubReader } from './support/hub-reader.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, nurseablePatient } from './support/ward.js';
import { bannerText, chartRegion, connectionBanner, expectCensus, openChart, shown, signIn } from './support/workstation-ui.js';

const TEST = 'sync-stopped-banner';
const POLL_MS = 1_000;
/** How long sync may fail before the watchdog calls it stopped (the policy's default is 5 minutes). */
const STOPPED_AFTER_MS = 4_000;
/** The watchdog's verdict, the status event over loopback and a re-render, on a busy machine. */
const BANNER_MS = STOPPED_AFTER_MS + 6 * POLL_MS + 15_000;

let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;
let blockedLock: string | null = null;

beforeAll(async () => {
  stack = await startWardlineStack({
    patients: 6,
    days: 2,
    pollIntervalMs: POLL_MS,
    seed: 'e2e-sync-stopped',
    // Failed cycles are tried again on a doubling backoff, kept short here so recovery is quick.
    syncPolicy: { stoppedAfterMs: STOPPED_AFTER_MS, offlineBackoffMaxMs: 4_000 },
  });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
});

afterAll(async () => {
  if (blockedLock !== null) rmSync(blockedLock, { recursive: true, force: true });
  hub?.close();
  await browser?.close();
  await stack?.close();
});

async function until(what: string, done: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('sync stops while the hub answers', () => {
  it('says "Sync stopped" and why instead of "Online", with the entry waiting, and recovers by itself', { timeout: 240_000 }, async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const patient = nurseablePatient(stack.ward, () => true);
    const patientId = patient.patient.id!;
    const heartRatesOnHub = (value: number): Promise<Observation[]> => documentedHeartRates(hub, patientId, value);

    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);
    await openChart(page, censusName(patient.patient));
    await shown(connectionBanner(page).getByText('Online — connected to the hub.'));

    // The data folder changes under the running host: its sync lock can no longer be taken, so
    // every cycle fails before it reaches the hub, which still answers.
    const lock = join(stack.dataDir, 'sync.lock');
    await until('a moment between two cycles', () => {
      try {
        mkdirSync(lock);
        return true;
      } catch {
        return false;
      }
    });
    blockedLock = lock;

    await page.getByRole('button', { name: 'Record vital signs' }).click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Record vital signs' }));
    await dialog.getByLabel('Heart rate').fill('123');
    await dialog.getByRole('button', { name: 'Save vital signs' }).click();
    await shown(chartRegion(page).getByText('Vital signs saved on this workstation — pending upload.'));

    const stopped = await shown(
      connectionBanner(page).getByText(
        /Sync stopped — this workstation's data folder cannot be used \(call IT\)\. Wardline tries again later\./,
      ),
      BANNER_MS,
    );
    expect(await stopped.isVisible()).toBe(true);
    const words = await bannerText(page);
    expect(words).not.toContain('Online');
    expect(words).not.toContain('Up to date');
    expect(words).toContain('1 entry waiting to upload');
    await saveScreenshot(page, TEST, 'sync-stopped');
    // It stays said while sync stays stopped (it is not a flicker of one failed cycle): two more
    // cycles fail, each leaving the status stopped, and the banner still says so after them.
    const stillStopped: (string | null)[] = [];
    const stopWatching = stack.host.sync!.onActivity((activity) => {
      if (activity.kind === 'cycle-ended' && !activity.ok) stillStopped.push(stack.host.sync!.status().stopped?.reason ?? null);
    });
    await until('two more failed cycles', () => stillStopped.length >= 2);
    stopWatching();
    expect(stillStopped.slice(0, 2)).toEqual(['data-folder-unavailable', 'data-folder-unavailable']);
    expect(await bannerText(page)).toContain('Sync stopped — ');
    expect(await heartRatesOnHub(123)).toEqual([]);

    // The folder is usable again: the next try syncs, the banner says so by itself, and the
    // reading reaches the hub once.
    rmSync(lock, { recursive: true, force: true });
    blockedLock = null;
    await shown(connectionBanner(page).getByText('Online — connected to the hub.'), BANNER_MS);
    await expect.poll(() => heartRatesOnHub(123).then((found) => found.length), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => bannerText(page), { timeout: 20_000 }).not.toContain('waiting to upload');
    expect(await bannerText(page)).not.toContain('Sync stopped');
    await saveScreenshot(page, TEST, 'recovered');
    await stack.host.sync!.syncOnce();
    expect(await heartRatesOnHub(123)).toHaveLength(1);
    expectNoPageProblems(watched);
    await watched.context.close();
  });
});
