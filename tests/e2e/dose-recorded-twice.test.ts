// A dose recorded twice for one slot across downtime, in Chromium against the real host and hub
// (review 12, finding 4): the workstation refuses a second dose beside one that stands, but a dose
// recorded on the workstation in downtime and one a colleague recorded at the hub meet only at the
// hub, which takes both (a dose documented as given is a fact, never dropped). After the sync the
// MAR, the patient banner and the census row flag the slot in clinical words; once the wrong one is
// marked entered in error, the flags go.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { MedicationAdministration } from '../../shared/fhir/index.js';
import { formatDayTime } from '../../shared/display/index.js';
import { SCHEDULED_TIME_EXTENSION_URL, UCUM_SYSTEM } from '../../shared/fhir/index.js';
import { doubleDoseNotice } from '../../shared/medication-safety/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { hubReader, type HubReader } from './support/hub-reader.js';
import { onceDailyOrderDueNow } from './support/orders.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, mrnOf, nurseablePatient } from './support/ward.js';
import { censusRow, chartRegion, connectionBanner, openChart, openChartTab, shown, signIn } from './support/workstation-ui.js';

const TEST = 'dose-recorded-twice';
const POLL_MS = 3_000;
const MEDICINE = 'Enoxaparin test order 40 MG Injection';
let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 4, days: 1, pollIntervalMs: POLL_MS, seed: 'e2e-dose-recorded-twice' });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
}, 120_000);

afterAll(async () => {
  hub?.close();
  await browser?.close();
  await stack?.close();
});

describe('a dose recorded twice for one slot across downtime', () => {
  it('is taken by the hub and flagged on the MAR, the banner and the census until the wrong one is marked entered in error', async () => {
    const patient = nurseablePatient(stack.ward);
    const patientId = patient.patient.id!;
    // A once-daily order due this hour (the next one from half past).
    const { order, slot } = onceDailyOrderDueNow({
      id: 'e2e-enoxaparin',
      patientId,
      medicine: MEDICINE,
      rxnorm: '854235',
      mg: 40,
      route: 'subcutaneously',
    });
    await feedResources(stack.hub.db, [order]);
    await stack.host.sync!.syncOnce();

    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    const name = censusName(patient.patient);
    await openChart(page, name);
    await openChartTab(page, 'MAR');
    const mar = page.getByRole('table', { name: 'Medication administration record' });
    const marRow = mar.getByRole('row', { name: new RegExp(MEDICINE) });
    const recordSlot = mar.getByRole('button', { name: `Record ${MEDICINE} dose due ${formatDayTime(slot.toISOString())}`, exact: true });
    const alert = marRow.getByRole('alert');

    // The hub goes down; nina gives the dose and records it on the workstation.
    await stack.hub.stop();
    await shown(connectionBanner(page).getByText(/Downtime — /), POLL_MS + 15_000);
    await recordSlot.click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Record administration' }));
    await dialog.getByLabel('Scan the wristband or type the MRN').fill(mrnOf(patient.patient));
    await dialog.getByRole('button', { name: 'Save administration' }).click();
    await shown(chartRegion(page).getByText('Administration saved on this workstation — pending upload.'));
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => recordSlot.count()).toBe(0);
    expect(await alert.count()).toBe(0);

    // Meanwhile noor, at another workstation on the hub, recorded the same slot. The hub is back:
    // it takes her dose and nina's delivery alike (neither is refused nor dropped).
    await stack.hub.start();
    const colleague = await hub.signedIn('noor', stack.account('noor').password);
    const hers: MedicationAdministration = {
      resourceType: 'MedicationAdministration',
      extension: [{ url: SCHEDULED_TIME_EXTENSION_URL, valueDateTime: slot.toISOString() }],
      status: 'completed',
      medicationCodeableConcept: { text: MEDICINE },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: new Date(Math.min(Date.now(), slot.getTime() + 10 * 60_000)).toISOString(),
      request: { reference: 'MedicationRequest/e2e-enoxaparin' },
      dosage: { dose: { value: 40, unit: 'mg', system: UCUM_SYSTEM, code: 'mg' } },
    } as MedicationAdministration;
    const created = await colleague.create(hers);
    expect(created.status).toBe(201);
    const noors = (await created.json()) as MedicationAdministration;
    const standing = async (): Promise<MedicationAdministration[]> =>
      (await hub.search<MedicationAdministration>('MedicationAdministration', `subject=Patient/${patientId}`)).filter(
        (a) => a.request?.reference === 'MedicationRequest/e2e-enoxaparin' && a.status !== 'entered-in-error',
      );
    await expect.poll(async () => (await standing()).length, { timeout: 4 * POLL_MS + 20_000 }).toBe(2);
    await stack.host.sync!.syncOnce();

    // On the MAR (opened again, so it reads the synced vault): the slot is flagged, in clinical words.
    await openChartTab(page, 'Summary');
    await openChartTab(page, 'MAR');
    await shown(alert);
    expect(await alert.textContent()).toBe(
      `2 doses recorded for this ${formatDayTime(slot.toISOString())} dose: check with the patient's physician; if one was recorded by mistake, mark it entered in error.`,
    );
    // Both doses stay listed for the slot (neither is hidden or merged).
    expect(await marRow.locator('.dose', { hasText: formatDayTime(slot.toISOString()) }).count()).toBe(2);
    await saveScreenshot(page, TEST, 'slot-recorded-twice');

    // Beyond the MAR: the patient banner above every tab, and the census row, say it in the same words.
    const notice = doubleDoseNotice(MEDICINE, 2, formatDayTime(slot.toISOString()));
    const bannerAlert = page.getByRole('region', { name }).getByRole('alert', { name: 'Doses recorded twice' });
    await openChartTab(page, 'Summary');
    await shown(bannerAlert);
    expect(await bannerAlert.textContent()).toBe(notice);
    await page.getByRole('button', { name: 'Back to census' }).click();
    const alertsCell = censusRow(page, name).locator('[role="gridcell"].census__alerts');
    await shown(alertsCell.getByText(notice, { exact: true }));
    expect(await alertsCell.getAttribute('title')).toContain(notice);
    await saveScreenshot(page, TEST, 'census-recorded-twice');
    await openChart(page, name);
    await openChartTab(page, 'MAR');

    // Checked with the physician: noor's entry was a documentation slip. Marked entered in error at
    // the hub, the slot holds one dose again and the flag goes.
    const withdrawn = await colleague.update({ ...noors, status: 'entered-in-error' }, noors.meta!.versionId!);
    expect(withdrawn.status).toBe(200);
    await stack.host.sync!.syncOnce();
    await openChartTab(page, 'Summary');
    await openChartTab(page, 'MAR');
    await shown(marRow.getByText('Entered in error', { exact: true }));
    expect(await alert.count()).toBe(0);
    await expect.poll(() => bannerAlert.count()).toBe(0);
    await page.getByRole('button', { name: 'Back to census' }).click();
    await shown(censusRow(page, name));
    await expect.poll(() => alertsCell.getByText(notice, { exact: true }).count()).toBe(0);
    expect((await alertsCell.getAttribute('title')) ?? '').not.toContain(notice);

    colleague.close();
    expectNoPageProblems(watched);
    await watched.context.close();
  }, 180_000);
});
