// Corrections that must not leave a gap, in Chromium against the real host and hub (review 11):
// a scheduled dose marked entered in error goes back on the MAR's to-do (its slot offers "Record"
// again, the retraction stays listed), the right dose is recorded for that slot, and then the slot
// is done; and a heart rate she saw "delivered to the hub" is corrected from the same open chart,
// in downtime, reaching the hub as a new version once it is back.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { MedicationAdministration, Observation } from '../../shared/fhir/index.js';
import { formatDateTime, formatDayTime } from '../../shared/display/index.js';
import { SCHEDULED_TIME_EXTENSION_URL, UCUM_SYSTEM } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { hubReader, type HubReader } from './support/hub-reader.js';
import { onceDailyOrderDueNow } from './support/orders.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, mrnOf, nurseablePatient } from './support/ward.js';
import { chartRegion, connectionBanner, openChart, openChartTab, savedNotice, shown, signIn } from './support/workstation-ui.js';

const TEST = 'nurse-corrects-after-delivery';
const POLL_MS = 3_000;
const MEDICINE = 'Lisinopril test order 10 MG Oral Tablet';
let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 4, days: 1, pollIntervalMs: POLL_MS, seed: 'e2e-corrects-after-delivery' });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
}, 120_000);

afterAll(async () => {
  hub?.close();
  await browser?.close();
  await stack?.close();
});

describe('a correction leaves no gap', () => {
  it('puts a dose marked entered in error back on the MAR to record, and corrects a reading delivered meanwhile, in downtime', async () => {
    const patient = nurseablePatient(stack.ward);
    const patientId = patient.patient.id!;
    // A once-daily order due this hour (the next one from half past), its dose recorded.
    const { order, slot } = onceDailyOrderDueNow({
      id: 'e2e-lisinopril',
      patientId,
      medicine: MEDICINE,
      rxnorm: '314076',
      mg: 10,
      route: 'orally',
    });
    // Given shortly before its time, and never in the future (the slot may be the next hour's).
    const givenAt = new Date(Math.min(slot.getTime() - 5 * 60_000, Date.now() - 60_000));
    const given: MedicationAdministration = {
      resourceType: 'MedicationAdministration',
      id: 'e2e-lisinopril-given',
      extension: [{ url: SCHEDULED_TIME_EXTENSION_URL, valueDateTime: slot.toISOString() }],
      status: 'completed',
      medicationCodeableConcept: { text: MEDICINE },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: givenAt.toISOString(),
      request: { reference: 'MedicationRequest/e2e-lisinopril' },
      dosage: { dose: { value: 10, unit: 'mg', system: UCUM_SYSTEM, code: 'mg' } },
    } as MedicationAdministration;
    await feedResources(stack.hub.db, [order, given]);
    await stack.host.sync!.syncOnce();

    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await openChart(page, censusName(patient.patient));
    await openChartTab(page, 'MAR');
    const mar = page.getByRole('table', { name: 'Medication administration record' });
    const recordSlot = mar.getByRole('button', { name: `Record ${MEDICINE} dose due ${formatDayTime(slot.toISOString())}`, exact: true });
    const marRow = mar.getByRole('row', { name: new RegExp(MEDICINE) });
    await shown(marRow.getByText('Given', { exact: true }));
    expect(await recordSlot.count()).toBe(0);

    // It was given to another patient: she marks it entered in error.
    const doses = await shown(page.getByRole('region', { name: 'Recorded doses' }));
    const doseName = `${MEDICINE} ${formatDateTime(givenAt.toISOString())}`;
    await doses.getByRole('button', { name: `Correct or retract ${doseName}` }).click();
    const retract = await shown(page.getByRole('dialog', { name: 'Correct or retract an entry' }));
    await retract.getByRole('radio', { name: 'Documented on the wrong patient' }).click();
    await retract.getByRole('button', { name: 'Mark entered in error' }).click();
    await shown(doses.getByRole('row', { name: `${doseName}, entered in error` }));
    // The dose is due again on the MAR, beside the retraction, and can be recorded.
    await shown(marRow.getByText('Entered in error', { exact: true }));
    await shown(recordSlot);
    await saveScreenshot(page, TEST, 'dose-due-again');
    await recordSlot.click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Record administration' }));
    await dialog.getByLabel('Scan the wristband or type the MRN').fill(mrnOf(patient.patient));
    await dialog.getByRole('button', { name: 'Save administration' }).click();
    await shown(savedNotice(page, 'Administration'));
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    // Recorded: the slot is done (no second dose offered).
    await expect.poll(() => recordSlot.count()).toBe(0);
    await expect
      .poll(
        async () =>
          (await hub.search<MedicationAdministration>('MedicationAdministration', `subject=Patient/${patientId}`))
            .filter((a) => a.request?.reference === 'MedicationRequest/e2e-lisinopril')
            .map((a) => a.status)
            .sort(),
        { timeout: 20_000 },
      )
      .toEqual(['completed', 'entered-in-error']);

    // A heart rate, delivered to the hub; then the hub goes down and she sees it was wrong.
    await openChartTab(page, 'Vital signs');
    await page.getByRole('button', { name: 'Record vital signs' }).click();
    const vitalsDialog = await shown(page.getByRole('dialog', { name: 'Record vital signs' }));
    await vitalsDialog.getByLabel('Heart rate').fill('131');
    await vitalsDialog.getByRole('button', { name: 'Save vital signs' }).click();
    await shown(chartRegion(page).getByText('Vital signs saved on this workstation — delivered to the hub.'), 20_000);
    await stack.hub.stop();
    await shown(connectionBanner(page).getByText(/Downtime — /), POLL_MS + 15_000);
    const vitals = await shown(page.getByRole('region', { name: 'Recorded vital signs' }));
    const newest = vitals.getByRole('row', { name: /^Heart rate / }).first();
    await shown(newest.getByText(/^131 /));
    await newest.getByRole('button', { name: /^Correct or retract Heart rate/ }).click();
    const correct = await shown(page.getByRole('dialog', { name: 'Correct or retract an entry' }));
    await correct.getByLabel('Corrected value').fill('113');
    await correct.getByRole('radio', { name: 'Wrong value typed' }).click();
    await correct.getByRole('button', { name: 'Save correction' }).click();
    await shown(chartRegion(page).getByText('Correction saved on this workstation — pending upload.'));
    await shown(newest.getByText('Corrected', { exact: true }));
    await saveScreenshot(page, TEST, 'corrected-in-downtime');

    // The hub is back: it holds her correction on top of the version it took.
    await stack.hub.start();
    const heartRates = async (): Promise<Observation[]> =>
      (await hub.search<Observation>('Observation', `subject=Patient/${patientId}&code=8867-4`)).filter((o) =>
        (o.note ?? []).some((n) => n.text.startsWith('Corrected from 131 ')),
      );
    await expect.poll(async () => (await heartRates()).length, { timeout: 4 * POLL_MS + 20_000 }).toBe(1);
    const [corrected] = await heartRates();
    expect(corrected).toMatchObject({ status: 'corrected', valueQuantity: { value: 113 }, meta: { versionId: '2' } });

    expectNoPageProblems(watched);
    await watched.context.close();
  }, 180_000);
});
