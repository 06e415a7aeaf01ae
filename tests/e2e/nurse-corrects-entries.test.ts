// A nurse corrects what was charted, in evaluation mode (Debian's Chromium, the real host over
// loopback, the real hub over TLS), only through the screens: she corrects a heart rate (the chart
// marks it "Corrected" and names the earlier value; the hub holds status "corrected" on a new
// version), marks a dose entered in error (struck through on the chart; "entered-in-error" at the
// hub). Then, in downtime, she marks a reading entered in error that the hub meanwhile changed: when
// the hub is back the sync engine's upload meets a 412, the banner points to the conflict, and she
// settles it on the conflicts screen; the hub then holds her retraction on top of its version.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { MedicationAdministration, Observation } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { hubReader, type HubReader } from './support/hub-reader.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, nurseablePatient } from './support/ward.js';
import { connectionBanner, expectCensus, openChart, openChartTab, savedNotice, shown, signIn } from './support/workstation-ui.js';

const TEST = 'nurse-corrects-entries';
const POLL_MS = 3_000;
const DAY = 24 * 3_600_000;
let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 8, days: 3, pollIntervalMs: POLL_MS, seed: 'e2e-corrections' });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
});

afterAll(async () => {
  hub?.close();
  await browser?.close();
  await stack?.close();
});

const recentSince = Date.now() - 3 * DAY + 3_600_000;
const isRecent = (time: string | undefined): boolean =>
  time !== undefined && Date.parse(time) > recentSince && Date.parse(time) < Date.now();

describe('a nurse corrects the chart', () => {
  it('corrects a vital sign and retracts a dose, which the chart and the hub show; a retraction the hub meanwhile changed is settled on the conflicts screen', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const patient = nurseablePatient(stack.ward, (p) =>
      p.resources.some((r) => r.resourceType === 'MedicationAdministration' && r.status === 'completed' && isRecent(r.effectiveDateTime)),
    );
    const name = censusName(patient.patient);

    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);
    await openChart(page, name);
    const retractedBefore = (
      await hub.search<MedicationAdministration>('MedicationAdministration', `subject=Patient/${patient.patient.id}`)
    ).filter((m) => m.status === 'entered-in-error').length;

    // The heart rate she charted last is wrong: she corrects it, with a reason.
    await openChartTab(page, 'Vital signs');
    const vitals = await shown(page.getByRole('region', { name: 'Recorded vital signs' }));
    const heartRates = vitals.getByRole('row', { name: /^Heart rate / });
    const firstHeartRate = heartRates.first();
    const rowName = (await firstHeartRate.getAttribute('aria-label'))!;
    const correctedId = await idOfRow(rowName, patient.resources as Observation[]);
    await firstHeartRate.getByRole('button', { name: /^Correct or retract Heart rate/ }).click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Correct or retract an entry' }));
    const recordedText = (await dialog.locator('strong').first().textContent())!;
    const recorded = Number.parseInt(recordedText, 10);
    const corrected = recorded === 88 ? 89 : 88;
    await dialog.getByLabel('Corrected value').fill(String(corrected));
    await dialog.getByRole('button', { name: 'Save correction' }).click();
    // No reason, no save.
    await shown(dialog.getByText('Choose why this record is changed.'));
    await dialog.getByRole('radio', { name: 'Wrong value typed' }).click();
    await expectAccessible(page, 'correct a vital sign');
    await saveScreenshot(page, TEST, 'correct-vital-sign');
    await dialog.getByRole('button', { name: 'Save correction' }).click();
    await shown(savedNotice(page, 'Correction'));
    const correctedRow = vitals.getByRole('row', { name: rowName });
    await shown(correctedRow.getByText('Corrected', { exact: true }));
    await shown(correctedRow.getByText(new RegExp(`Corrected from ${recorded} .* to ${corrected} .*Reason: Wrong value typed`)));
    await saveScreenshot(page, TEST, 'vital-sign-corrected');

    // A dose charted on the wrong patient: she marks it entered in error.
    await openChartTab(page, 'MAR');
    const doses = await shown(page.getByRole('region', { name: 'Recorded doses' }));
    const doseRow = doses
      .getByRole('row')
      .filter({ has: page.getByRole('button', { name: /^Correct or retract / }) })
      .first();
    const doseName = (await doseRow.getAttribute('aria-label'))!;
    await doseRow.getByRole('button', { name: /^Correct or retract / }).click();
    const doseDialog = await shown(page.getByRole('dialog', { name: 'Correct or retract an entry' }));
    await shown(doseDialog.getByText(/A recorded dose is not edited/));
    await doseDialog.getByRole('radio', { name: 'Documented on the wrong patient' }).click();
    await expectAccessible(page, 'retract a dose');
    await doseDialog.getByRole('button', { name: 'Mark entered in error' }).click();
    await shown(doses.getByRole('row', { name: `${doseName}, entered in error` }).getByText('Entered in error', { exact: true }));
    await saveScreenshot(page, TEST, 'dose-entered-in-error');

    // The hub holds both changes, each on a new version of the record.
    await expect.poll(async () => (await hub.read<Observation>('Observation', correctedId)).status, { timeout: 20_000 }).toBe('corrected');
    const correctedOnHub = await hub.read<Observation>('Observation', correctedId);
    expect(correctedOnHub.valueQuantity?.value).toBe(corrected);
    expect(correctedOnHub.meta?.versionId).toBe('2');
    const retractedOnHub = async (): Promise<MedicationAdministration[]> =>
      (await hub.search<MedicationAdministration>('MedicationAdministration', `subject=Patient/${patient.patient.id}`)).filter(
        (m) => m.status === 'entered-in-error',
      );
    await expect.poll(async () => (await retractedOnHub()).length, { timeout: 20_000 }).toBe(retractedBefore + 1);

    // Downtime: she retracts another reading while, at the hub, someone annotates the same one.
    await openChartTab(page, 'Vital signs');
    await stack.hub.stop();
    await shown(connectionBanner(page).getByText(/Downtime — /), POLL_MS + 15_000);
    const secondRow = vitals
      .getByRole('row', { name: /^Heart rate / })
      .filter({ hasNot: page.getByText('Corrected', { exact: true }) })
      .first();
    const secondName = (await secondRow.getAttribute('aria-label'))!;
    const secondId = await idOfRow(secondName, patient.resources as Observation[]);
    await secondRow.getByRole('button', { name: /^Correct or retract / }).click();
    const retractDialog = await shown(page.getByRole('dialog', { name: 'Correct or retract an entry' }));
    await retractDialog.getByRole('radio', { name: 'Entered in error' }).click();
    await retractDialog.getByRole('radio', { name: 'Documented twice' }).click();
    await retractDialog.getByRole('button', { name: 'Mark entered in error' }).click();
    await shown(vitals.getByRole('row', { name: `${secondName}, entered in error` }));
    const original = patient.resources.find((r): r is Observation => r.resourceType === 'Observation' && r.id === secondId)!;
    await feedResources(stack.hub.db, [{ ...original, note: [{ text: 'Verified against the monitor' }] }]);
    await stack.hub.start();

    // The upload meets a 412; the banner points to the conflict; she keeps her retraction.
    const toResolve = connectionBanner(page).getByRole('button', { name: '1 conflict to resolve' });
    await shown(toResolve, 4 * POLL_MS + 20_000);
    await toResolve.click();
    const card = await shown(page.getByRole('region', { name: new RegExp(`^Vital signs for ${escapeRegExp(name)}`) }));
    await shown(card.getByText('Verified against the monitor'));
    await saveScreenshot(page, TEST, 'conflict');
    await card.getByRole('button', { name: 'Keep my version' }).click();
    await shown(page.getByText('There are no conflicts to settle.'));
    await expect
      .poll(async () => (await hub.read<Observation>('Observation', secondId)).status, { timeout: 20_000 })
      .toBe('entered-in-error');
    const settled = await hub.read<Observation>('Observation', secondId);
    expect(settled.meta?.versionId).toBe('3');

    expectNoPageProblems(watched);
    await watched.context.close();
  }, 180_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The id of the heart-rate reading a row names, from the generated chart (by its time as the chart shows it). */
async function idOfRow(rowName: string, resources: readonly Observation[]): Promise<string> {
  const { formatDateTime } = await import('../../shared/display/index.js');
  const found = resources.filter(
    (r) =>
      r.resourceType === 'Observation' &&
      r.code.coding?.some((c) => c.code === '8867-4') === true &&
      rowName.startsWith(`Heart rate ${formatDateTime(r.effectiveDateTime)}`),
  );
  if (found.length !== 1) throw new Error(`expected one heart-rate reading for the row, found ${found.length}`);
  return found[0]!.id!;
}
