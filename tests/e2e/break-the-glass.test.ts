// Emergency access (break-the-glass) as a physician meets it: a restricted chart on the ward asks
// for a coded reason and a justification before it opens, then shows a time-limited, audited
// banner; a patient from another ward is opened by MRN from the census, and the access ends when
// the workstation is locked; its Vital signs tab reads the emergency copy throughout (trend and
// recorded list agree). Synthetic patients only.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { importResources } from '../../server/fhir/index.js';
import { formatDateTime } from '../../shared/display/index.js';
import type { Observation } from '../../shared/fhir/index.js';
import { observationValueText } from '../../shared/vital-signs/index.js';
import { generateWard, type SyntheticPatient, type SyntheticWard } from '../../shared/synthetic/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, isRestricted, mrnOf } from './support/ward.js';
import {
  censusRow,
  chartRegion,
  expectCensus,
  lockHeading,
  openChartTab,
  savedNotice,
  setPin,
  shown,
  signIn,
  signInHeading,
  unlockWithPin,
} from './support/workstation-ui.js';

const TEST = 'break-the-glass';
const JUSTIFICATION = 'Rapid response call, needs allergy and medication history now';
const PIN = '4826';
// This seed's first patient carries the restricted label (one chart in ten is restricted).
const SEED = 'e2e-btg-7';
let stack: WardlineStack;
let browser: Browser;
let otherWard: SyntheticWard;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 3, days: 1, pollIntervalMs: 2_000, hashing: 'fast', seed: SEED });
  browser = await launchChromium();
  // A patient admitted on another ward, on the hub only (the workstation syncs its own ward).
  const hour = new Date();
  hour.setUTCMinutes(0, 0, 0);
  otherWard = generateWard({
    seed: 'e2e-btg-other-ward',
    patients: 1,
    days: 1,
    ward: { id: 'e2e-other', name: 'Ward Other' },
    now: hour.toISOString(),
  });
  await importResources(stack.hub.db, otherWard.resources, new Date());
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

function restrictedPatient(): SyntheticPatient {
  const found = stack.ward.patients.find(isRestricted);
  if (found === undefined) throw new Error(`the synthetic ward of seed ${SEED} has no restricted patient; pick another seed`);
  return found;
}

const emergencyPrompt = (page: Page) => page.getByRole('region', { name: 'Emergency access needed' });
const emergencyBanner = (page: Page) =>
  page.getByRole('note').filter({ hasText: /^Emergency access \(break-the-glass\) until .+ — audited$/ });

/** What the chart says instead of its documenting actions on an emergency copy of a patient on another ward. */
const readOnlyNotice = (page: Page) =>
  chartRegion(page).getByText(/^Emergency view of a patient on another ward — read only\. Document on the patient's ward/);
/** Every action that documents: record vital signs or a dose, write a note, correct or retract a record. */
const documentingActions = (page: Page) => chartRegion(page).getByRole('button', { name: /^(Record|Write note|Correct or retract)/ });

async function giveReason(scope: ReturnType<Page['getByRole']>): Promise<void> {
  await scope.getByRole('radio', { name: 'Emergency treatment' }).click();
  await scope.getByLabel('Justification').fill(JUSTIFICATION);
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await shown(signInHeading(page));
}

describe('emergency access (break-the-glass)', () => {
  it('asks a physician for a reason before a restricted chart opens, then shows it with a time-limited banner and audits the access', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'restricted-failure').then(() => undefined));
    const patient = restrictedPatient();
    const patientId = patient.patient.id!;
    const name = censusName(patient.patient);
    const chartHeading = chartRegion(page).getByRole('heading', { level: 2, name });
    const btgStarts = () => stack.host.audit.find({ patient: patientId }).filter((e) => e.action === 'btg-start');

    await page.goto(stack.url);
    await signIn(page, stack.account('paul'));
    await expectCensus(page, stack.ward.patients.length);
    await censusRow(page, name).click();
    const prompt = await shown(emergencyPrompt(page));
    await shown(prompt.getByText('This chart is restricted. To open it, use emergency access and give a reason', { exact: false }));
    expect(await chartHeading.count()).toBe(0);
    await saveScreenshot(page, TEST, 'restricted-prompt');

    // Without a reason it does not go on.
    await prompt.getByRole('button', { name: 'Open chart with emergency access' }).click();
    await shown(prompt.getByText('Choose the reason for access.'));
    await shown(prompt.getByText('Explain why you need this chart (at least 10 characters).'));
    expect(await chartHeading.count()).toBe(0);
    expect(btgStarts()).toEqual([]);
    await saveScreenshot(page, TEST, 'restricted-no-reason');

    await giveReason(prompt);
    const asked = Date.now();
    await prompt.getByRole('button', { name: 'Open chart with emergency access' }).click();
    await shown(chartHeading);
    await shown(emergencyBanner(page));
    await shown(page.getByRole('region', { name }).getByText(mrnOf(patient.patient), { exact: true }));
    await saveScreenshot(page, TEST, 'restricted-open');

    const [start, ...more] = btgStarts();
    expect(more).toEqual([]);
    expect(start).toMatchObject({
      user: stack.host.sessions.current().active!.userId,
      purposeOfUse: 'ETREAT',
      detail: { reasonCode: 'ETREAT', justification: JUSTIFICATION },
    });
    expect(Date.parse(start!.time)).toBeGreaterThanOrEqual(asked - 1_000);

    await signOut(page);
    expectNoPageProblems(watched);
    await watched.context.close();
  });

  it('opens a chart from another ward by MRN with a reason, and the access ends when the workstation locks', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'off-ward-failure').then(() => undefined));
    const patient = otherWard.patients[0]!;
    const patientId = patient.patient.id!;
    const name = censusName(patient.patient);
    expect(
      stack.ward.patients.some((p) => mrnOf(p.patient) === mrnOf(patient.patient)),
      'the off-ward MRN is not on the ward',
    ).toBe(false);

    await page.goto(stack.issueUrl());
    await signIn(page, stack.account('paul'));
    await expectCensus(page, stack.ward.patients.length);
    await setPin(page, PIN);
    expect(await page.getByText(name, { exact: false }).count()).toBe(0);

    await page.getByRole('button', { name: 'Open a chart from another ward' }).click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Open a chart from another ward' }));
    await dialog.getByLabel('MRN').fill(mrnOf(patient.patient));
    await giveReason(dialog);
    await saveScreenshot(page, TEST, 'off-ward-dialog');
    await dialog.getByRole('button', { name: 'Open chart with emergency access' }).click();
    await shown(chartRegion(page).getByRole('heading', { level: 2, name }));
    await shown(emergencyBanner(page));
    expect(stack.host.offWardCharts.holds(patientId)).toBe(true);
    expect(stack.host.audit.find({ patient: patientId }).filter((e) => e.action === 'btg-start')).toHaveLength(1);
    await saveScreenshot(page, TEST, 'off-ward-open');

    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await shown(lockHeading(page));
    expect(stack.host.offWardCharts.holds(patientId)).toBe(false);
    await unlockWithPin(page, 'paul', PIN);
    await shown(page.getByRole('button', { name: 'Lock', exact: true }));
    // Back in, the chart from the other ward is gone: the restored view asks for emergency access
    // again, and nothing of the patient is shown or held by the host.
    const prompt = await shown(emergencyPrompt(page));
    await shown(prompt.getByText('This patient is not on your ward here.', { exact: false }));
    expect(await page.getByText(name, { exact: false }).count()).toBe(0);
    expect(await page.getByText(mrnOf(patient.patient), { exact: false }).count()).toBe(0);
    await expect.poll(() => emergencyBanner(page).count()).toBe(0);
    expect(stack.host.offWardCharts.holds(patientId)).toBe(false);
    await saveScreenshot(page, TEST, 'off-ward-after-unlock');

    await signOut(page);
    expectNoPageProblems(watched);
    await watched.context.close();
  });

  it('reads a chart from another ward in one place: the Vital signs tab lists the readings its trend plots, for reading only', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'off-ward-vitals-failure').then(() => undefined));
    const patient = otherWard.patients[0]!;
    const name = censusName(patient.patient);
    // The patient's latest pulse, as the hub holds it (the workstation never cached this patient).
    const pulses = patient.resources
      .filter((r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === '8867-4')
      .sort((a, b) => Date.parse(b.effectiveDateTime!) - Date.parse(a.effectiveDateTime!));
    const latest = pulses[0]!;

    await page.goto(stack.issueUrl());
    await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);
    await page.getByRole('button', { name: 'Open a chart from another ward' }).click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Open a chart from another ward' }));
    await dialog.getByLabel('MRN').fill(mrnOf(patient.patient));
    await giveReason(dialog);
    await dialog.getByRole('button', { name: 'Open chart with emergency access' }).click();
    await shown(chartRegion(page).getByRole('heading', { level: 2, name }));
    await shown(emergencyBanner(page));

    await openChartTab(page, 'Vital signs');
    const heartRate = page.getByRole('region', { name: /^Heart rate/ });
    await shown(heartRate.getByRole('img', { name: /Heart rate plot: \d+ readings? in the last 24 hours/ }));
    const recorded = page.getByRole('region', { name: 'Recorded vital signs' });
    const latestRow = recorded.getByRole('row', { name: `Heart rate ${formatDateTime(latest.effectiveDateTime)}`, exact: true });
    await shown(latestRow);
    expect(await latestRow.getByRole('cell').nth(1).textContent()).toBe(observationValueText(latest));
    expect(await recorded.getByText('No vital signs recorded in the last 3 days.').count()).toBe(0);
    // An emergency copy is for reading: a nurse, who may correct her ward's readings, is offered no correction here.
    expect(await recorded.getByRole('button', { name: /^Correct or retract / }).count()).toBe(0);
    await saveScreenshot(page, TEST, 'off-ward-vitals');

    await signOut(page);
    expectNoPageProblems(watched);
    await watched.context.close();
  });

  it('offers a nurse no documenting action on a chart from another ward, and says why, on every tab', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'off-ward-read-only-failure').then(() => undefined));
    const patient = otherWard.patients[0]!;
    const name = censusName(patient.patient);

    await page.goto(stack.issueUrl());
    await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);
    await page.getByRole('button', { name: 'Open a chart from another ward' }).click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Open a chart from another ward' }));
    await dialog.getByLabel('MRN').fill(mrnOf(patient.patient));
    await giveReason(dialog);
    await dialog.getByRole('button', { name: 'Open chart with emergency access' }).click();
    await shown(chartRegion(page).getByRole('heading', { level: 2, name }));
    await shown(emergencyBanner(page));

    // No action is offered that the host would refuse after the nurse typed; the reason is said instead.
    for (const tab of ['Summary', 'Vital signs', 'MAR', 'Notes', 'Medications']) {
      await openChartTab(page, tab);
      // Each tab's own content has loaded before its actions are counted.
      if (tab === 'Vital signs') await shown(page.getByRole('region', { name: 'Recorded vital signs' }).getByRole('table'));
      if (tab === 'MAR') await shown(page.getByRole('table', { name: 'Medication administration record' }));
      if (tab === 'Notes') await expect.poll(() => page.getByText('Loading notes…').count()).toBe(0);
      expect(await documentingActions(page).count(), `documenting actions on the ${tab} tab`).toBe(0);
      expect(
        await chartRegion(page)
          .getByRole('columnheader', { name: /^(Document|Change)$/ })
          .count(),
        tab,
      ).toBe(0);
      await shown(readOnlyNotice(page));
    }
    await saveScreenshot(page, TEST, 'off-ward-read-only');
    await expectAccessible(page, 'emergency chart of a patient on another ward, read only');

    await signOut(page);
    expectNoPageProblems(watched);
    await watched.context.close();
  });

  it('keeps the actions on a restricted chart of this ward opened by emergency access: a nurse records vital signs there', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'restricted-documents-failure').then(() => undefined));
    const patient = restrictedPatient();
    const name = censusName(patient.patient);

    await page.goto(stack.issueUrl());
    await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);
    await censusRow(page, name).click();
    const prompt = await shown(emergencyPrompt(page));
    await giveReason(prompt);
    await prompt.getByRole('button', { name: 'Open chart with emergency access' }).click();
    await shown(chartRegion(page).getByRole('heading', { level: 2, name }));
    await shown(emergencyBanner(page));

    await page.getByRole('button', { name: 'Record vital signs' }).click();
    const vitals = await shown(page.getByRole('dialog', { name: 'Record vital signs' }));
    await vitals.getByLabel('Heart rate').fill('118');
    await vitals.getByRole('button', { name: 'Save vital signs' }).click();
    await shown(savedNotice(page, 'Vital signs'));
    expect(await readOnlyNotice(page).count()).toBe(0);
    await openChartTab(page, 'Notes');
    await shown(page.getByRole('button', { name: 'Write note' }));
    await saveScreenshot(page, TEST, 'restricted-documented');

    await signOut(page);
    expectNoPageProblems(watched);
    await watched.context.close();
  });
});
