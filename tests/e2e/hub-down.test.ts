// Downtime as the ward lives it: the hub goes away while a nurse has a chart open. Without a click
// the banner turns to downtime within one poll period, the chart stays readable from the
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
 * Time for the failed cycle, the status event to cross the loopback socket and the banner to
 * re-render on a busy machine. Less than a poll period: a banner that waited for a second poll
 * (the hub stops just after a cycle, so the first poll comes a full period later) still fails.
 */
const RENDER_SLACK_MS = 3_500;
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
      // touches the page.
      const lastSuccess = stack.host.sync!.status().lastSuccess;
      await expect.poll(() => stack.host.sync!.status().lastSuccess, { timeout: POLL_MS * 3 }).not.toBe(lastSuccess);
      await stack.hub.stop();
      const stoppedAt = Date.now();
      await shown(connectionBanner(page).getByText(/Downtime — (hub unreachable|the hub is down)\./), POLL_MS + RENDER_SLACK_MS + 10_000);
      const noticedAfterMs = Date.now() - stoppedAt;
      expect(noticedAfterMs, 'the banner turned within one poll period').toBeLessThanOrEqual(POLL_MS + RENDER_SLACK_MS);
      await expect.poll(() => connectionBanner(page).textContent()).toMatch(/Data as of \d{1,2}:\d{2}/);
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
