// A nurse's everyday path in evaluation mode (Debian's Chromium, the real host over loopback, the
// real hub over TLS): she signs in, finds the census, opens a chart with its allergies and vital-sign
// trends, records a set of vital signs that shows as pending upload, and after the next sync the hub
// holds exactly one copy of each reading.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { CLIENT_ID_SYSTEM } from '../../electron/sync/index.js';
import type { Observation } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { hubReader, type HubReader } from './support/hub-reader.js';
import { saveScreenshot } from './support/screenshots.js';
import { allergiesOf, censusName, nurseablePatient } from './support/ward.js';
import {
  chartRegion,
  connectionBanner,
  expectCensus,
  openChart,
  openChartTab,
  savedNotice,
  shown,
  signIn,
} from './support/workstation-ui.js';

const TEST = 'nurse-records-vitals';
let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 8, days: 3, pollIntervalMs: 3_000, seed: 'e2e-nurse' });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
});

afterAll(async () => {
  hub?.close();
  await browser?.close();
  await stack?.close();
});

const LOINC = { heartRate: '8867-4', bloodPressure: '85354-9', temperature: '8310-5', saturation: '59408-5' } as const;

describe('a nurse documents vital signs', () => {
  it('signs in, opens a chart with allergies and trends, records vital signs that show pending upload and reach the hub exactly once', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const nina = stack.account('nina');
    const patient = nurseablePatient(stack.ward, (p) => allergiesOf(p).length > 0);
    const patientId = patient.patient.id!;
    const name = censusName(patient.patient);

    await page.goto(stack.url);
    await signIn(page, nina);
    await expectCensus(page, stack.ward.patients.length);
    await expect.poll(() => connectionBanner(page).textContent()).toContain('Online');
    await saveScreenshot(page, TEST, 'census');

    await openChart(page, name);
    const banner = page.getByRole('region', { name });
    for (const allergy of allergiesOf(patient)) await shown(banner.getByText(allergy, { exact: false }));
    await saveScreenshot(page, TEST, 'chart-summary');

    await openChartTab(page, 'Vital signs');
    const heartRate = page.getByRole('region', { name: /^Heart rate/ });
    await shown(heartRate.getByRole('img', { name: /Heart rate plot: \d+ readings? in the last 24 hours/ }));
    await saveScreenshot(page, TEST, 'chart-vitals');

    // Readings documented on a workstation carry its client identifier (the hub's synthetic ones do not).
    const onHub = async (code: string, matches: (o: Observation) => boolean): Promise<Observation[]> =>
      (await hub.search<Observation>('Observation', `subject=Patient/${patientId}`)).filter(
        (o) =>
          o.identifier?.some((i) => i.system === CLIENT_ID_SYSTEM) === true &&
          o.code.coding?.some((c) => c.code === code) === true &&
          matches(o),
      );
    expect(await onHub(LOINC.heartRate, () => true)).toEqual([]);

    await page.getByRole('button', { name: 'Record vital signs' }).click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Record vital signs' }));
    await dialog.getByLabel('Heart rate').fill('137');
    await dialog.getByLabel('Systolic blood pressure').fill('151');
    await dialog.getByLabel('Diastolic blood pressure').fill('97');
    await dialog.getByLabel('Temperature').fill('38.7');
    await dialog.getByLabel('Oxygen saturation (SpO2)').fill('91');
    await saveScreenshot(page, TEST, 'record-vitals-form');
    await expectAccessible(page, 'record vital signs');
    await dialog.getByRole('button', { name: 'Save vital signs' }).click();
    // Saved here at once; the sync a write asks for may deliver it before the notice is read
    // (tests/e2e/sync-stopped-banner.test.ts sees it at "pending upload" while no sync can run).
    await shown(savedNotice(page, 'Vital signs'));
    await saveScreenshot(page, TEST, 'vitals-saved');

    // After the sync (a write asks for one within a second), the hub holds one copy of each reading…
    await expect
      .poll(() => onHub(LOINC.heartRate, (o) => o.valueQuantity?.value === 137).then((found) => found.length), { timeout: 15_000 })
      .toBe(1);
    const values = (o: Observation): number[] => (o.component ?? []).map((c) => c.valueQuantity?.value ?? Number.NaN);
    expect(await onHub(LOINC.bloodPressure, (o) => values(o).join('/') === '151/97')).toHaveLength(1);
    expect(await onHub(LOINC.temperature, (o) => o.valueQuantity?.value === 38.7)).toHaveLength(1);
    expect(await onHub(LOINC.saturation, (o) => o.valueQuantity?.value === 91)).toHaveLength(1);
    const [reading] = await onHub(LOINC.heartRate, (o) => o.valueQuantity?.value === 137);
    expect(reading?.performer?.[0]?.display).toBe(nina.username);

    // …and the chart no longer lists it as waiting, while its trend shows the new reading.
    await expect
      .poll(() => page.getByRole('heading', { name: /Documented here, not yet on the hub/ }).count(), { timeout: 15_000 })
      .toBe(0);
    // The notice of the save follows: it no longer says "pending upload" beside "Delivered".
    await shown(chartRegion(page).getByText('Vital signs saved on this workstation — delivered to the hub.'));
    expect(await chartRegion(page).getByText('Vital signs saved on this workstation — pending upload.').count()).toBe(0);
    await shown(heartRate.getByText(/latest 137 beats\/min/));
    await saveScreenshot(page, TEST, 'vitals-uploaded');
    expectNoPageProblems(watched);
    await watched.context.close();
  });
});
