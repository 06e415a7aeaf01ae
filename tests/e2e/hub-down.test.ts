// Downtime as the ward lives it: the hub goes away while a nurse has a chart open. Without a click
// the first sync cycle that meets the outage turns the workstation to downtime (not a later one) and
// the banner follows it, the chart stays readable from the
// workstation's copy, a medication administration recorded meanwhile waits as "pending upload" (then
// reads "Delivered"), and
// when the hub is back it arrives there exactly once (with the Provenance of downtime documentation).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { MedicationAdministration, Provenance } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { hubReader, type HubReader } from './support/hub-reader.js';
import { localInputValue } from '../../shared/display/index.js';
import { saveScreenshot } from './support/screenshots.js';
import { activeOrdersOf, censusName, mrnOf, nurseablePatient } from './support/ward.js';
import { chartRegion, connectionBanner, expectCensus, openChart, openChartTab, shown, signIn } from './support/workstation-ui.js';

const TEST = 'hub-down';
const POLL_MS = 4_000;
/**
 * How long the test waits for the banner to show what the host already knows. A wait, not a limit
 * under test: which cycle turned the state is checked on the host (the first that failed), so a busy
 * machine only makes the test slower.
 */
const SHOWN_WITHIN_MS = 60_000;
let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 8, days: 3, pollIntervalMs: POLL_MS, seed: 'e2e-downtime' });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
});

afterAll(async () => {
  hub?.close();
  await browser?.close();
  await stack?.close();
});

describe('the hub goes down', () => {
  it(
    'turns the banner to downtime by itself, keeps the chart readable, and delivers a held dose recorded offline exactly once',
    { timeout: 180_000 },
    async () => {
      const watched = await watchedPage(browser);
      const { page } = watched;
      onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
      const patient = nurseablePatient(stack.ward, (p) =>
        activeOrdersOf(p).some((o) => o.dosageInstruction?.[0]?.timing?.repeat?.timeOfDay !== undefined),
      );
      const patientId = patient.patient.id!;
      const name = censusName(patient.patient);
      const administrationsOnHub = (): Promise<MedicationAdministration[]> =>
        hub.search<MedicationAdministration>('MedicationAdministration', `subject=Patient/${patientId}`);
      const before = new Set((await administrationsOnHub()).map((a) => a.id));

      await page.goto(stack.url);
      await signIn(page, stack.account('nina'));
      await expectCensus(page, stack.ward.patients.length);
      await openChart(page, name);
      await shown(connectionBanner(page).getByText('Online — connected to the hub.'));

      // The hub goes down just after a cycle (so the next poll is a whole period away); nobody
      // touches the page. The first cycle that fails from then on has turned the state to downtime
      // by the time it ends (a monitor that waited for a second failure would not have).
      const sync = stack.host.sync!;
      const lastSuccess = sync.status().lastSuccess;
      await expect.poll(() => sync.status().lastSuccess, { timeout: POLL_MS * 10 }).not.toBe(lastSuccess);
      let firstFailure: { readonly state: string } | undefined;
      const stopWatching = sync.onActivity((activity) => {
        if (activity.kind === 'cycle-ended' && !activity.ok && firstFailure === undefined) firstFailure = { state: sync.state };
      });
      await stack.hub.stop();
      await expect.poll(() => firstFailure, { timeout: SHOWN_WITHIN_MS }).toBeDefined();
      stopWatching();
      expect(firstFailure!.state, 'the state when the first failed cycle ended').toMatch(/^(offline|hub-down)$/);
      await shown(connectionBanner(page).getByText(/Downtime — (hub unreachable|the hub is down)\./), SHOWN_WITHIN_MS);
      await expect.poll(() => connectionBanner(page).textContent()).toMatch(/Data as of (\d{2} [A-Z][a-z]{2}, )?\d{1,2}:\d{2}/);
      await saveScreenshot(page, TEST, 'chart-downtime-banner');

      // The chart stays readable from the workstation's copy.
      await shown(page.getByRole('heading', { level: 2, name }));
      await openChartTab(page, 'MAR');
      const order = activeOrdersOf(patient).find((o) => o.dosageInstruction?.[0]?.timing?.repeat?.timeOfDay !== undefined)!;
      const medication = order.medicationCodeableConcept?.text ?? '';
      await shown(page.getByRole('table', { name: 'Medication administration record' }).getByText(medication).first());
      await openChartTab(page, 'Medications');
      await shown(page.getByRole('table', { name: 'Active medication orders' }).getByRole('rowheader', { name: medication }));
      await saveScreenshot(page, TEST, 'chart-medications-offline');

      // A scheduled dose held during the downtime, recorded from its slot on the MAR, the patient
      // confirmed by MRN and the reason coded.
      await openChartTab(page, 'MAR');
      const escaped = medication.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await page
        .getByRole('table', { name: 'Medication administration record' })
        .getByRole('button', { name: new RegExp(`^Record ${escaped} dose due`) })
        .first()
        .click();
      const dialog = await shown(page.getByRole('dialog', { name: 'Record administration' }));
      await shown(dialog.getByText(medication));
      await shown(dialog.getByText(order.dosageInstruction?.[0]?.text ?? 'Not stated on the order'));
      await dialog.getByLabel('Scan the wristband or type the MRN').fill(mrnOf(patient.patient));
      await dialog.getByRole('radio', { name: 'Held or refused' }).click();
      await dialog.getByRole('radio', { name: 'Nil by mouth' }).click();
      // A dose not yet due starts without a time: the nurse enters when it was held.
      const timeHeld = dialog.getByLabel('Time held');
      if ((await timeHeld.inputValue()) === '') await timeHeld.fill(localInputValue(new Date()));
      await saveScreenshot(page, TEST, 'record-administration-form');
      await expectAccessible(page, 'record administration');
      await dialog.getByRole('button', { name: 'Save administration' }).click();
      await shown(chartRegion(page).getByText('Administration saved on this workstation — pending upload.'));
      const pending = page.getByRole('region', { name: /Documented here, not yet on the hub \(1\)/ });
      await shown(pending.getByText('Pending upload', { exact: true }));
      await shown(pending.getByText(/Medication administration recorded/));
      await shown(connectionBanner(page).getByText('1 entry waiting to upload'));
      await saveScreenshot(page, TEST, 'administration-pending-upload');

      // The hub comes back: the banner says so by itself and the dose arrives exactly once.
      await stack.hub.start();
      // (Online after the first clean sync cycle; "connection problems" while a cycle still meets the outage.)
      await shown(connectionBanner(page).getByText(/Online — connected to the hub\.|Connection problems — /), 4 * POLL_MS + 10_000);
      await expect.poll(async () => (await administrationsOnHub()).filter((a) => !before.has(a.id)).length, { timeout: 15_000 }).toBe(1);
      await expect.poll(() => pending.count(), { timeout: 15_000 }).toBe(0);
      // "Pending upload" has turned into "Delivered", with when the hub confirmed it.
      const delivered = page.getByRole('region', { name: /Documented here, now on the hub \(1\)/ });
      await shown(delivered.getByText('Delivered', { exact: true }));
      await shown(delivered.getByText(/Medication administration recorded/));
      await shown(delivered.getByText(/the hub confirmed it/));
      await expectAccessible(page, 'delivered documentation');
      await saveScreenshot(page, TEST, 'back-online');
      // Further syncs (as the scheduler keeps running) leave it a single copy.
      await stack.host.sync!.syncOnce();
      await stack.host.sync!.syncOnce();
      const added = (await administrationsOnHub()).filter((a) => !before.has(a.id));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({
        status: 'not-done',
        statusReason: [{ coding: [expect.objectContaining({ code: 'nil-by-mouth' })] }],
        request: { reference: `MedicationRequest/${order.id}` },
        performer: [{ actor: { display: 'nina' } }],
      });
      const provenances = await hub.search<Provenance>('Provenance', `patient=Patient/${patientId}`);
      expect(provenances.filter((p) => p.target.some((t) => t.reference === `MedicationAdministration/${added[0]!.id}`))).toHaveLength(1);

      expectNoPageProblems(watched);
      await watched.context.close();
    },
  );
});
