// The five rights at the bedside, in Chromium against the real host and hub: the nurse confirms the
// patient by a barcode-style scan (keys typed fast, then Enter), a correct dose is saved in one step
// from the keyboard alone, 5000 g against a 500 mg order is stopped plainly and nothing is saved,
// and a dose given hours before its time asks a coded reason before it is saved, marked early.
// Tomorrow's dose of a once-daily order given today on top of today's is refused, so is an
// as-needed dose within its minimum interval, and a drug in the class of a recorded allergy asks a
// reason. The orders are fed to the hub as the hospital's feed would, timed around the current hour.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import type { AllergyIntolerance, MedicationAdministration, MedicationRequest } from '../../shared/fhir/index.js';
import { formatDayTime, localInputValue } from '../../shared/display/index.js';
import { RXNORM_SYSTEM, SCHEDULED_TIME_EXTENSION_URL, UCUM_SYSTEM } from '../../shared/fhir/index.js';
import { ADMINISTRATION_TIMING_EXTENSION_URL } from '../../shared/medication-safety/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage, type WatchedPage } from './support/browser.js';
import { hubReader, type HubReader } from './support/hub-reader.js';
import { hourDueAt } from './support/orders.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, mrnOf, nurseablePatient } from './support/ward.js';
import { openChart, openChartTab, savedNotice, shown, signIn } from './support/workstation-ui.js';

const TEST = 'nurse-administers-medication';
let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;
// One signed-in window for the whole file (a one-time address opens the app once).
let watched: WatchedPage | undefined;

const hh = (hour: number): string => `${String(((hour % 24) + 24) % 24).padStart(2, '0')}:00`;
/**
 * When each test starts, and the hour of a dose due then (hourDueAt: the next hour from half past),
 * in the workstation's local time. Taken again for each test: a time taken when the file
 * loads is minutes old by the second test, and may be yesterday's once a run crosses midnight.
 */
let now = new Date();
let dueHour = 0;
beforeEach(() => {
  now = new Date();
  dueHour = hourDueAt(now);
});

function order(id: string, patientId: string, text: string, rxnorm: string, mg: number, hour: number): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: RXNORM_SYSTEM, code: rxnorm, display: text }], text },
    subject: { reference: `Patient/${patientId}` },
    authoredOn: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    dosageInstruction: [
      {
        text: `${mg} mg orally once daily at ${hh(hour)}`,
        timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: [`${hh(hour)}:00`] } },
        doseAndRate: [{ doseQuantity: { value: mg, unit: 'mg', system: UCUM_SYSTEM, code: 'mg' } }],
      },
    ],
  } as MedicationRequest;
}

function given(id: string, patientId: string, orderId: string, medication: string, mg: number, at: Date, scheduled: Date | null) {
  return {
    resourceType: 'MedicationAdministration',
    id,
    ...(scheduled === null ? {} : { extension: [{ url: SCHEDULED_TIME_EXTENSION_URL, valueDateTime: scheduled.toISOString() }] }),
    status: 'completed',
    medicationCodeableConcept: { text: medication },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: at.toISOString(),
    request: { reference: `MedicationRequest/${orderId}` },
    dosage: { dose: { value: mg, unit: 'mg', system: UCUM_SYSTEM, code: 'mg' } },
  } as MedicationAdministration;
}

const AMLODIPINE = 'Amlodipine test order 5 MG Oral Tablet';
const METFORMIN = 'Metformin test order 500 MG Oral Tablet';
const WARFARIN = 'Warfarin test order 5 MG Oral Tablet';

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 6, days: 2, pollIntervalMs: 3_000, seed: 'e2e-administration' });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
}, 120_000);

afterAll(async () => {
  await watched?.context.close();
  hub?.close();
  await browser?.close();
  await stack?.close();
});

describe('a nurse gives medication with the five rights checked', () => {
  it('confirms the patient by scan, saves a correct dose in one step, is stopped on 5000 g, and gives a reason for an early dose', async () => {
    const patient = nurseablePatient(stack.ward);
    const patientId = patient.patient.id!;
    await feedResources(stack.hub.db, [
      order('e2e-amlodipine', patientId, AMLODIPINE, '197361', 5, dueHour),
      order('e2e-metformin', patientId, METFORMIN, '860975', 500, dueHour),
      order('e2e-warfarin', patientId, WARFARIN, '855332', 5, dueHour + 4),
    ]);
    await stack.host.sync!.syncOnce();
    const documented = (): number => stack.host.audit.find({ patient: patientId }).filter((e) => e.action === 'create').length;

    watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await openChart(page, censusName(patient.patient));
    await openChartTab(page, 'MAR');
    const mar = page.getByRole('table', { name: 'Medication administration record' });
    /** The MAR's Record button of `medication`'s dose due at `hour` today (local time; 24 and more: tomorrow). */
    const recordDue = (medication: string, hour: number) => {
      const slot = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hour).toISOString();
      return mar.getByRole('button', { name: `Record ${medication} dose due ${formatDayTime(slot)}`, exact: true });
    };

    // A correct dose, from the keyboard alone: focus starts on the patient confirmation, the scanner
    // types the wristband and Enter, the prefilled dose is right, Enter saves.
    await recordDue(AMLODIPINE, dueHour).click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Record administration' }));
    await shown(dialog.getByText(mrnOf(patient.patient), { exact: true }));
    const confirm = dialog.getByLabel('Scan the wristband or type the MRN');
    await expect.poll(() => confirm.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type(`urn:wardline:mrn|${mrnOf(patient.patient)}`);
    await page.keyboard.press('Enter');
    await shown(dialog.getByText('Patient confirmed.'));
    await expect.poll(() => dialog.getByLabel('Dose given').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await saveScreenshot(page, TEST, 'patient-confirmed');
    await expectAccessible(page, 'record administration, patient confirmed');
    await page.keyboard.press('Enter');
    await shown(savedNotice(page, 'Administration'));
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(documented()).toBe(1);

    // 5000 g against a 500 mg order: stopped, said plainly, nothing saved.
    await recordDue(METFORMIN, dueHour).click();
    const stopped = await shown(page.getByRole('dialog', { name: 'Record administration' }));
    await stopped.getByLabel('Scan the wristband or type the MRN').fill(mrnOf(patient.patient));
    await stopped.getByLabel('Dose given').fill('5000');
    await stopped.getByLabel('Unit').fill('g');
    await stopped.getByRole('button', { name: 'Save administration' }).click();
    await shown(stopped.getByRole('alert').getByText('This dose cannot be recorded'));
    await shown(stopped.getByText(/more than twice the ordered dose/).first());
    await expect.poll(() => stopped.getByLabel('Dose given').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await saveScreenshot(page, TEST, 'hard-stop');
    await expectAccessible(page, 'record administration, hard stop');
    expect(documented()).toBe(1);
    await stopped.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // Four hours early: a coded reason is asked, then the dose is saved and marked early.
    await recordDue(WARFARIN, dueHour + 4).click();
    const early = await shown(page.getByRole('dialog', { name: 'Record administration' }));
    await early.getByLabel('Scan the wristband or type the MRN').fill(mrnOf(patient.patient));
    // A dose not yet due does not take today's "now" as its time: the nurse enters when it was given.
    const timeGiven = early.getByLabel('Time given');
    expect(await timeGiven.inputValue()).toBe('');
    await shown(early.getByText(/not due yet: enter the time it was given/));
    await timeGiven.fill(localInputValue(new Date()));
    await early.getByRole('button', { name: 'Save administration' }).click();
    const reason = await shown(early.getByRole('radiogroup', { name: /This dose is early/ }));
    await shown(early.getByText('Choose a reason.'));
    expect(documented()).toBe(1);
    await saveScreenshot(page, TEST, 'reason-asked');
    await expectAccessible(page, 'record administration, reason asked');
    await reason.getByRole('radio', { name: 'Patient was off the ward or unavailable' }).click();
    await early.getByRole('button', { name: 'Save administration' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(documented()).toBe(2);
    const warfarinOnHub = async (): Promise<MedicationAdministration[]> =>
      (await hub.search<MedicationAdministration>('MedicationAdministration', `subject=Patient/${patientId}`)).filter(
        (a) => a.request?.reference === 'MedicationRequest/e2e-warfarin',
      );
    await expect.poll(async () => (await warfarinOnHub()).length, { timeout: 15_000 }).toBe(1);
    const [saved] = await warfarinOnHub();
    expect(saved?.extension?.find((e) => e.url === ADMINISTRATION_TIMING_EXTENSION_URL)?.valueCode).toBe('early');

    // A scheduled order offers no free-form "Record administration": its doses go through their slots.
    await shown(mar.getByRole('row', { name: new RegExp(WARFARIN) }).getByText('Scheduled: record each dose from its time'));
    expect(await mar.getByRole('button', { name: `Record administration of ${WARFARIN}` }).count()).toBe(0);
    expectNoPageProblems(watched);
  });

  it("refuses tomorrow's once-daily dose on top of today's and an as-needed dose within its interval, and asks a reason for an allergy's drug class", async () => {
    const patient = nurseablePatient(stack.ward, () => true, 1);
    const patientId = patient.patient.id!;
    const ATORVASTATIN = 'Atorvastatin test order 20 MG Oral Tablet';
    const PARACETAMOL = 'Paracetamol test order 500 MG Oral Tablet';
    const CEFTRIAXONE = 'ceftriaxone 1000 MG Injection';
    // Once daily about two hours ago, given then; tomorrow's dose is on the MAR a day later.
    const todayHour = Math.max(dueHour - 2, 0);
    const today = new Date(now.getFullYear(), now.getMonth(), now.getDate(), todayHour);
    const tomorrow = new Date(today.getTime() + 86_400_000);
    const prn: MedicationRequest = {
      ...order('e2e-paracetamol-prn', patientId, PARACETAMOL, '313782', 500, dueHour),
      dosageInstruction: [
        {
          text: '500 mg orally every 6 hours as needed for pain',
          timing: { repeat: { frequency: 1, period: 6, periodUnit: 'h' } },
          asNeededBoolean: true,
          doseAndRate: [{ doseQuantity: { value: 500, unit: 'mg', system: UCUM_SYSTEM, code: 'mg' } }],
        },
      ],
    };
    const penicillin: AllergyIntolerance = {
      resourceType: 'AllergyIntolerance',
      id: 'e2e-penicillin-allergy',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      code: { coding: [{ system: RXNORM_SYSTEM, code: '70618', display: 'Penicillin' }], text: 'Penicillin' },
      patient: { reference: `Patient/${patientId}` },
      criticality: 'high',
    };
    await feedResources(stack.hub.db, [
      order('e2e-atorvastatin', patientId, ATORVASTATIN, '617310', 20, todayHour),
      given(
        'e2e-atorvastatin-today',
        patientId,
        'e2e-atorvastatin',
        ATORVASTATIN,
        20,
        new Date(Math.min(today.getTime() + 5 * 60_000, Date.now())),
        today,
      ),
      prn,
      given('e2e-paracetamol-earlier', patientId, 'e2e-paracetamol-prn', PARACETAMOL, 500, new Date(Date.now() - 2 * 3_600_000), null),
      order('e2e-ceftriaxone', patientId, CEFTRIAXONE, '1665021', 1000, dueHour),
      penicillin,
    ]);
    await stack.host.sync!.syncOnce();
    const documented = (): number => stack.host.audit.find({ patient: patientId }).filter((e) => e.action === 'create').length;

    if (watched === undefined) throw new Error('the first test signs the nurse in');
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure-2').then(() => undefined));
    await page.getByRole('button', { name: 'Back to census' }).click();
    await openChart(page, censusName(patient.patient));
    await openChartTab(page, 'MAR');
    const mar = page.getByRole('table', { name: 'Medication administration record' });
    const before = documented();

    // Tomorrow's once-daily dose, given on top of today's on the same day: refused, nothing saved.
    // (Its time is on today's date even if the run has crossed midnight since the test began.)
    await mar
      .getByRole('button', { name: `Record ${ATORVASTATIN} dose due ${formatDayTime(tomorrow.toISOString())}`, exact: true })
      .click();
    const extra = await shown(page.getByRole('dialog', { name: 'Record administration' }));
    await extra.getByLabel('Scan the wristband or type the MRN').fill(mrnOf(patient.patient));
    await extra.getByLabel('Time given').fill(localInputValue(new Date(Math.min(today.getTime() + 10 * 60_000, Date.now()))));
    await extra.getByRole('button', { name: 'Save administration' }).click();
    await shown(extra.getByRole('alert').getByText('This dose cannot be recorded'));
    await shown(extra.getByText(/exceed the order's frequency/).first());
    await saveScreenshot(page, TEST, 'extra-daily-dose');
    await extra.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // An as-needed dose two hours after the last, on an every-6-hours order: refused.
    await mar.getByRole('button', { name: `Record administration of ${PARACETAMOL}` }).click();
    const soon = await shown(page.getByRole('dialog', { name: 'Record administration' }));
    await soon.getByLabel('Scan the wristband or type the MRN').fill(mrnOf(patient.patient));
    await soon.getByRole('button', { name: 'Save administration' }).click();
    await shown(soon.getByText(/given too recently/).first());
    await saveScreenshot(page, TEST, 'prn-too-soon');
    await soon.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(documented()).toBe(before);

    // Ceftriaxone for a patient allergic to penicillin (both beta-lactams): a reason first, then saved.
    const slot = new Date(now.getFullYear(), now.getMonth(), now.getDate(), dueHour).toISOString();
    await mar.getByRole('button', { name: `Record ${CEFTRIAXONE} dose due ${formatDayTime(slot)}`, exact: true }).click();
    const allergy = await shown(page.getByRole('dialog', { name: 'Record administration' }));
    await shown(allergy.getByText('Penicillin').first());
    await allergy.getByLabel('Scan the wristband or type the MRN').fill(mrnOf(patient.patient));
    await allergy.getByRole('button', { name: 'Save administration' }).click();
    const reason = await shown(allergy.getByRole('radiogroup', { name: /same class as a recorded allergy/ }));
    expect(documented()).toBe(before);
    await expectAccessible(page, 'record administration, allergy class reason');
    await reason.getByRole('radio', { name: 'Prescriber aware of the allergy and confirmed the order' }).click();
    await allergy.getByRole('button', { name: 'Save administration' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(documented()).toBe(before + 1);
    expectNoPageProblems(watched);
  });
});
