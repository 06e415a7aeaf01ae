// An open chart follows the vault (review 12 #1), in Chromium against the real host and hub. A nurse
// has a patient's MAR open, and the dose dialog of a slot; a colleague records that dose at the hub.
// After the next sync, without her touching anything, the dialog says the dose is already recorded,
// and the MAR shows it given by the colleague with no Record button left on the slot. On the Vital
// signs tab, a colleague's heart rate of 142 appears after the sync. A patient discharged and purged
// while the chart is open leaves the screen: it says the patient is no longer on this ward, and no
// longer shows "Up to date" over the chart. The views reloaded are refreshes: one chart-read each.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Encounter, MedicationAdministration, Observation } from '../../shared/fhir/index.js';
import { SCHEDULED_TIME_EXTENSION_URL, UCUM_SYSTEM } from '../../shared/fhir/index.js';
import { formatDayTime } from '../../shared/display/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { launchChromium, watchedPage, type WatchedPage } from './support/browser.js';
import { onceDailyOrderDueNow } from './support/orders.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, nurseablePatient } from './support/ward.js';
import { chartRegion, openChart, openChartTab, shown, signIn } from './support/workstation-ui.js';

const TEST = 'open-chart-follows-sync';
const POLL_MS = 2_000;
const MEDICINE = 'Simvastatin follow-sync test order 20 MG Oral Tablet';

let stack: WardlineStack;
let browser: Browser;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 4, days: 1, pollIntervalMs: POLL_MS, seed: 'e2e-open-chart-follows-sync' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await watched?.context.close();
  await browser?.close();
  await stack?.close();
});

describe('an open chart after a sync brought a colleague’s documentation', () => {
  it('shows the colleague’s dose and heart rate without the nurse navigating, and a purged patient leaves the screen', async () => {
    const patient = nurseablePatient(stack.ward);
    const patientId = patient.patient.id!;
    // A once-daily order due this hour (the next one from half past), not yet given.
    const { order, slot } = onceDailyOrderDueNow({
      id: 'e2e-simvastatin-follow',
      patientId,
      medicine: MEDICINE,
      rxnorm: '198211',
      mg: 20,
      route: 'orally',
    });
    await feedResources(stack.hub.db, [order]);
    await stack.host.sync!.syncOnce();
    const reads = (view: string): number =>
      stack.host.audit.find({ patient: patientId }).filter((e) => e.action === 'chart-read' && e.detail.view === view).length;

    watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await openChart(page, censusName(patient.patient));
    await openChartTab(page, 'MAR');
    const mar = page.getByRole('table', { name: 'Medication administration record' });
    const marRow = mar.getByRole('row', { name: new RegExp(MEDICINE) });
    const recordSlot = mar.getByRole('button', { name: `Record ${MEDICINE} dose due ${formatDayTime(slot.toISOString())}`, exact: true });
    await shown(recordSlot);

    // She opens the slot's dose: nothing says it was given.
    await recordSlot.click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Record administration' }));
    await shown(dialog.getByText('Check the order'));
    expect(await dialog.getByText(/already recorded/).count()).toBe(0);
    const marReads = reads('mar');

    // Meanwhile a colleague gives it and records it at the hub (another workstation).
    const givenAt = new Date(Date.now() - 60_000);
    const given: MedicationAdministration = {
      resourceType: 'MedicationAdministration',
      id: 'e2e-simvastatin-follow-given',
      extension: [{ url: SCHEDULED_TIME_EXTENSION_URL, valueDateTime: slot.toISOString() }],
      status: 'completed',
      medicationCodeableConcept: { text: MEDICINE },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: givenAt.toISOString(),
      request: { reference: `MedicationRequest/${order.id}` },
      performer: [{ actor: { reference: 'Practitioner/e2e-colleague', display: 'Greta Colleague, RN' } }],
      dosage: { dose: { value: 20, unit: 'mg', system: UCUM_SYSTEM, code: 'mg' } },
    } as MedicationAdministration;
    await feedResources(stack.hub.db, [given]);

    // The next sync (the poll's own): the open dialog says so before she gives anything.
    await shown(dialog.getByText('This scheduled dose is already recorded. A second dose would exceed the order.'), 30_000);
    await saveScreenshot(page, TEST, 'dialog-already-recorded');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    // The MAR under it shows the colleague's dose; the slot offers no Record.
    await shown(marRow.getByText('Given', { exact: true }));
    await shown(marRow.getByText(/Greta Colleague, RN/));
    expect(await recordSlot.count()).toBe(0);
    await saveScreenshot(page, TEST, 'mar-after-sync');
    // Those reloads were refreshes of the MAR she opened: no new chart-read.
    expect(reads('mar')).toBe(marReads);

    // The Vital signs tab open; a colleague's heart rate of 142 at the hub.
    await openChartTab(page, 'Vital signs');
    const heartRate = page.getByRole('region', { name: /Heart rate/ });
    await shown(heartRate.getByText(/latest/));
    expect(await heartRate.getByText(/latest 142 beats\/min/).count()).toBe(0);
    const trendReads = reads('trend');
    const tachycardia: Observation = {
      resourceType: 'Observation',
      id: 'e2e-follow-heart-rate',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: new Date(Date.now() - 30_000).toISOString(),
      valueQuantity: { value: 142, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    };
    await feedResources(stack.hub.db, [tachycardia]);
    await shown(heartRate.getByText(/latest 142 beats\/min/), 30_000);
    await saveScreenshot(page, TEST, 'vitals-after-sync');
    expect(reads('trend')).toBe(trendReads);

    // Discharged at the hub while the chart is open: the next sync purges the patient, and the
    // screen says so instead of a chart "Up to date".
    const finished: Encounter = {
      ...patient.encounter,
      status: 'finished',
      period: { ...patient.encounter.period, end: new Date().toISOString() },
    };
    await feedResources(stack.hub.db, [finished]);
    await shown(chartRegion(page).getByText(/This patient is no longer on this ward/), 30_000);
    await expect.poll(() => stack.host.vault.resources.read('Patient', patientId)).toBeNull();
    expect(await page.getByRole('table', { name: 'Medication administration record' }).count()).toBe(0);
    expect(await heartRate.count()).toBe(0);
    expect(
      await chartRegion(page)
        .getByText(/Up to date/)
        .count(),
    ).toBe(0);
    await saveScreenshot(page, TEST, 'purged');
  });
});
