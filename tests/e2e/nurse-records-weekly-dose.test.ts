// A weekly order on the MAR, in Chromium against the real host and hub: weekly methotrexate due
// today shows one slot, today's, and a weekly order due on another weekday shows none in the
// 48 hours around now. The nurse records the weekly dose from its slot in one step; it reaches the
// hub on time, and the slot is gone. The ward's policy sets a 120-minute administration window and
// the dose is due in 90 minutes: the dialog starts its time at "now" only because it takes the
// window the host enforces (with a 60-minute copy of its own it would start empty and ask a time).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { MedicationAdministration, MedicationRequest } from '../../shared/fhir/index.js';
import { formatDayTime, localInputValue } from '../../shared/display/index.js';
import { RXNORM_SYSTEM, UCUM_SYSTEM } from '../../shared/fhir/index.js';
import { ADMINISTRATION_TIMING_EXTENSION_URL } from '../../shared/medication-safety/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage, type WatchedPage } from './support/browser.js';
import { hubReader, type HubReader } from './support/hub-reader.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, mrnOf, nurseablePatient } from './support/ward.js';
import { openChart, openChartTab, savedNotice, shown, signIn } from './support/workstation-ui.js';

const TEST = 'nurse-records-weekly-dose';
const WINDOW_MINUTES = 120;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY = 86_400_000;

let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;
let watched: WatchedPage | undefined;

const pad = (n: number): string => String(n).padStart(2, '0');
/** The weekly dose: 90 minutes from now, to the minute, in the workstation's (the ward's) local time. */
const startedAt = Date.now();
const slot = new Date(Math.floor((startedAt + 90 * 60_000) / 60_000) * 60_000);
const timeOfDay = `${pad(slot.getHours())}:${pad(slot.getMinutes())}:00`;

function weeklyOrder(id: string, patientId: string, text: string, weekday: (typeof WEEKDAYS)[number]): MedicationRequest {
  const start = new Date(startedAt - 10 * DAY);
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: RXNORM_SYSTEM, code: '105585', display: text }], text },
    subject: { reference: `Patient/${patientId}` },
    authoredOn: start.toISOString(),
    dosageInstruction: [
      {
        text: `15 mg orally once weekly on ${weekday} at ${timeOfDay.slice(0, 5)}`,
        timing: {
          repeat: {
            boundsPeriod: { start: `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}` },
            frequency: 1,
            period: 1,
            periodUnit: 'wk',
            dayOfWeek: [weekday],
            timeOfDay: [timeOfDay],
          },
        },
        doseAndRate: [{ doseQuantity: { value: 15, unit: 'mg', system: UCUM_SYSTEM, code: 'mg' } }],
      },
    ],
  } as MedicationRequest;
}

const METHOTREXATE = 'Methotrexate weekly test order 2.5 MG Oral Tablet';
const OTHER_DAY = 'Methotrexate other weekday test order 2.5 MG Oral Tablet';

beforeAll(async () => {
  stack = await startWardlineStack({
    patients: 4,
    days: 2,
    pollIntervalMs: 3_000,
    seed: 'e2e-weekly-dose',
    policySections: { medication: { administrationWindowMinutes: WINDOW_MINUTES } },
  });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
}, 120_000);

afterAll(async () => {
  await watched?.context.close();
  hub?.close();
  await browser?.close();
  await stack?.close();
});

describe('a weekly order on the MAR', () => {
  it('shows the weekly dose on its day only, and the nurse records it from its slot in one step', async () => {
    expect(stack.policy.administrationWindowMs).toBe(WINDOW_MINUTES * 60_000);
    const patient = nurseablePatient(stack.ward);
    const patientId = patient.patient.id!;
    // The other order's weekday is three days after the slot's: outside the MAR's 48 hours.
    await feedResources(stack.hub.db, [
      weeklyOrder('e2e-methotrexate-weekly', patientId, METHOTREXATE, WEEKDAYS[slot.getDay()]!),
      weeklyOrder('e2e-methotrexate-other-day', patientId, OTHER_DAY, WEEKDAYS[(slot.getDay() + 3) % 7]!),
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
    const weeklyRow = mar.getByRole('row', { name: new RegExp(METHOTREXATE) });
    const otherRow = mar.getByRole('row', { name: new RegExp(OTHER_DAY) });

    // One slot for the weekly order in the 48 hours shown: today's. None for the other weekday's.
    await shown(weeklyRow);
    const recordButtons = weeklyRow.getByRole('button', { name: new RegExp(`^Record ${METHOTREXATE} dose due`) });
    await expect.poll(() => recordButtons.count()).toBe(1);
    const record = weeklyRow.getByRole('button', {
      name: `Record ${METHOTREXATE} dose due ${formatDayTime(slot.toISOString())}`,
      exact: true,
    });
    await shown(record);
    await shown(otherRow.getByText('No doses in this period'));
    expect(await otherRow.getByRole('button', { name: /dose due/ }).count()).toBe(0);
    await saveScreenshot(page, TEST, 'weekly-slot');

    // Due in 90 minutes, inside the policy's 120-minute window: the time starts at now.
    await record.click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Record administration' }));
    const confirm = dialog.getByLabel('Scan the wristband or type the MRN');
    await expect.poll(() => confirm.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    const timeGiven = dialog.getByLabel('Time given');
    const opened = new Date();
    expect([localInputValue(new Date(opened.getTime() - 60_000)), localInputValue(opened)]).toContain(await timeGiven.inputValue());
    expect(await dialog.getByText(/not due yet/).count()).toBe(0);
    await page.keyboard.type(`urn:wardline:mrn|${mrnOf(patient.patient)}`);
    await page.keyboard.press('Enter');
    await shown(dialog.getByText('Patient confirmed.'));
    expect(await dialog.getByLabel('Dose given').inputValue()).toBe('15');
    await expectAccessible(page, 'record administration, weekly dose');
    await page.keyboard.press('Enter');
    await shown(savedNotice(page, 'Administration'));
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(documented()).toBe(1);

    // The slot is recorded: no weekly dose left to record in these 48 hours.
    await expect.poll(() => recordButtons.count()).toBe(0);
    await shown(weeklyRow.getByText('Given'));
    await saveScreenshot(page, TEST, 'weekly-dose-given');

    const onHub = async (): Promise<MedicationAdministration[]> =>
      (await hub.search<MedicationAdministration>('MedicationAdministration', `subject=Patient/${patientId}`)).filter(
        (a) => a.request?.reference === 'MedicationRequest/e2e-methotrexate-weekly',
      );
    await expect.poll(async () => (await onHub()).length, { timeout: 15_000 }).toBe(1);
    const [saved] = await onHub();
    expect(saved?.extension?.find((e) => e.url === ADMINISTRATION_TIMING_EXTENSION_URL)?.valueCode).toBe('on-time');
    expectNoPageProblems(watched);
  });
});
