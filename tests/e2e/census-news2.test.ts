// The census NEWS2 cell in Chromium against the real host and hub (closing 12, "Noticed and left
// alone"): a patient's last complete round scored 10, High; hours later a nurse charts one pulse (an
// incomplete set). The census must still lead with "10 High" and its time, and say a newer set is
// incomplete (its lower bound beside it): one parameter never hides a high score. The chart's
// summary and its NEWS2 by round table say the same.
import { randomUUID } from 'node:crypto';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { vitalSignObservations } from '../../electron/documentation/test-helpers.js';
import { formatDateTime, formatRecentTime } from '../../shared/display/index.js';
import type { Encounter, Patient } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusRow, chartRegion, openChart, openChartTab, shown, signIn } from './support/workstation-ui.js';

const TEST = 'census-news2';
const NAME = 'Scorecheck, Ada';
let stack: WardlineStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 2, days: 1, pollIntervalMs: 3_000, seed: 'e2e-census-news2' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/**
 * How the window may word `iso` as a recent time, rendered at any moment from `since` on: the same
 * day's "14:05", or "07 Dec, 14:05" once a midnight has passed in between (a run may cross one).
 */
const recentTimes = (iso: string, since: Date): string[] => [...new Set([formatRecentTime(iso, since), formatRecentTime(iso)])];
/** A recent time as the census words it, either way (for a time the test does not know to the minute). */
const ANY_RECENT_TIME = String.raw`(?:\d\d [A-Z][a-z]{2}, )?\d\d:\d\d`;

/** What a cell or a line reads, its words in one line. */
const words = async (locator: Locator): Promise<string> => ((await locator.innerText()) ?? '').replace(/\s+/g, ' ').trim();

describe('the census NEWS2 cell', () => {
  it('keeps the last complete "10 High" with its time after one pulse is charted, and says the newer set is incomplete', async () => {
    // A patient admitted to the ward whose last complete round, three hours ago, scored 10, High.
    const patientId = `e2e-news2-${randomUUID().slice(0, 8)}`;
    const encounterId = `${patientId}-stay`;
    const roundAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const patient: Patient = {
      resourceType: 'Patient',
      id: patientId,
      identifier: [{ system: 'urn:wardline:mrn', value: 'MRN7700101' }],
      name: [{ use: 'official', family: 'Scorecheck', given: ['Ada'] }],
      gender: 'female',
      birthDate: '1948-05-02',
    };
    const stay: Encounter = {
      resourceType: 'Encounter',
      id: encounterId,
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
      subject: { reference: `Patient/${patientId}` },
      period: { start: new Date(Date.now() - 2 * 86_400_000).toISOString() },
      location: [{ location: { reference: `Location/${stack.ward.location.id!}` } }],
    };
    const nurse = stack.ward.practitioners[0]!;
    const round = vitalSignObservations(
      { patientId, encounterId, author: { reference: `Practitioner/${nurse.id!}` }, now: roundAt, newId: randomUUID },
      // RR 25: 3, SpO2 93: 2, air: 0, systolic 105: 1, pulse 115: 2, alert: 0, 39.5 °C: 2 = 10, High.
      {
        respiratoryRate: 25,
        oxygenSaturation: 93,
        onOxygen: false,
        systolic: 105,
        diastolic: 62,
        heartRate: 115,
        consciousness: 'alert',
        temperatureCelsius: 39.5,
      },
    );
    await feedResources(stack.hub.db, [patient, stay, ...round]);
    await stack.host.sync!.syncOnce();

    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const openedAt = new Date();
    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    const news2Cell = censusRow(page, NAME).locator('[role="gridcell"].census__news2');
    await shown(news2Cell);
    expect(recentTimes(roundAt, openedAt).map((time) => `NEWS2 10 High measured ${time}`)).toContain(await words(news2Cell));

    // Nina charts one pulse (135/min, a 3 on its own): an incomplete set.
    await openChart(page, NAME);
    await page.getByRole('button', { name: 'Record vital signs' }).click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Record vital signs' }));
    await dialog.getByLabel('Heart rate').fill('135');
    await dialog.getByRole('button', { name: 'Save vital signs' }).click();
    await shown(chartRegion(page).getByText(/^Vital signs saved on this workstation — (pending upload|delivered to the hub)\.$/));

    // The chart's summary leads with the round's 10 High, the newer pulse beside it as a lower bound.
    await openChartTab(page, 'Vital signs');
    await openChartTab(page, 'Summary');
    const latest = page.getByRole('region', { name: 'Latest vital signs' });
    await expect.poll(() => words(latest)).toContain(`NEWS2 10 High Emergency response`);
    const summaryText = await words(latest);
    expect(summaryText).toContain(`measured ${formatDateTime(roundAt)}`);
    expect(summaryText).toMatch(/Newer set, measured .+: NEWS2 ≥ 3 incomplete Not yet scored: respiratory rate, SpO2, air or oxygen,/);
    await saveScreenshot(page, TEST, 'chart-summary');

    // Its NEWS2 by round lists both rounds, the complete one as 10, High.
    await openChartTab(page, 'Vital signs');
    const byRound = page.getByRole('table', { name: /NEWS2 of each round/ });
    await shown(byRound);
    await expect.poll(() => byRound.getByRole('row').count()).toBe(3);
    expect(await words(byRound.getByRole('row').nth(1))).toMatch(/NEWS2 ≥ 3 incomplete$/);
    expect(await words(byRound.getByRole('row').nth(2))).toBe(`${formatDateTime(roundAt)} NEWS2 10 High`);

    // Back on the census: still 10 High at the round's time, and the newer incomplete set under it.
    await page.getByRole('button', { name: 'Back to census' }).click();
    await shown(news2Cell);
    await expect.poll(() => words(news2Cell)).toMatch(/newer/);
    expect(await words(news2Cell)).toMatch(
      new RegExp(
        `^NEWS2 10 High measured (?:${recentTimes(roundAt, openedAt).join('|')}) newer set, measured ${ANY_RECENT_TIME} NEWS2 ≥ 3 incomplete$`,
      ),
    );
    await saveScreenshot(page, TEST, 'census');

    expectNoPageProblems(watched);
    await watched.context.close();
  }, 180_000);
});
