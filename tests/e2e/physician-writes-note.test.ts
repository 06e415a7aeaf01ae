// A physician writes a note during downtime, in Chromium: the hub goes away, he opens the chart's
// Notes tab, writes the note in the dialog (no serious or critical axe violation), and it shows at
// once, marked "Pending upload"; when the hub is back it arrives there exactly once, in his name, and
// the mark goes. A nurse then sees "Write note" exactly when the permission table lets her document
// notes, and reads his note.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { isPermitted } from '../../shared/access/index.js';
import type { DocumentReference } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { hubReader, type HubReader } from './support/hub-reader.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, nurseablePatient } from './support/ward.js';
import {
  chartRegion,
  connectionBanner,
  expectCensus,
  openChart,
  openChartTab,
  shown,
  signIn,
  signInHeading,
} from './support/workstation-ui.js';

const TEST = 'physician-note';
const POLL_MS = 4_000;
let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 6, days: 2, pollIntervalMs: POLL_MS, seed: 'e2e-notes' });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
});

afterAll(async () => {
  hub?.close();
  await browser?.close();
  await stack?.close();
});

const plainText = (note: DocumentReference): string =>
  Buffer.from(note.content.find((c) => c.attachment.data !== undefined)?.attachment.data ?? '', 'base64').toString('utf8');

describe('a physician writes a note', () => {
  it('writes it offline, sees it at once as pending, and it reaches the hub once after the hub is back', { timeout: 240_000 }, async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const patient = nurseablePatient(stack.ward);
    const patientId = patient.patient.id!;
    const name = censusName(patient.patient);
    const text = 'Ward round during downtime: comfortable, chest clear.\nPlan: step down oxygen, bloods in the morning.';
    const notesOnHub = async (): Promise<DocumentReference[]> =>
      (await hub.search<DocumentReference>('DocumentReference', `subject=Patient/${patientId}`)).filter((n) => plainText(n) === text);

    await page.goto(stack.url);
    await signIn(page, stack.account('paul'));
    await expectCensus(page, stack.ward.patients.length);
    await openChart(page, name);
    await openChartTab(page, 'Notes');
    const notesPanel = page.getByRole('tabpanel', { name: 'Notes' });
    await shown(notesPanel.getByText(/note(s)?, newest first\.|No notes for this patient\./));

    // The hub goes down.
    await stack.hub.stop();
    await shown(connectionBanner(page).getByText(/Downtime — (hub unreachable|the hub is down)\./), POLL_MS + 30_000);
    // Data synced a moment ago is recent, not "up to date": nothing green says so while the hub is down.
    await shown(connectionBanner(page).getByText('Recent, not confirmed by the hub'));
    await shown(page.getByRole('region', { name }).getByText(/^\d{2}:\d{2} — Recent, not confirmed by the hub$/));
    expect(await page.getByText('Up to date').count()).toBe(0);

    await notesPanel.getByRole('button', { name: 'Write note' }).click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Write note' }));
    await shown(dialog.getByText(`For ${name}`, { exact: false }));
    // Saving an empty note says what is missing and sends nothing.
    await dialog.getByRole('button', { name: 'Save note' }).click();
    await shown(dialog.getByText('Write the note before saving it.'));
    await dialog.getByLabel('Title (optional)').fill('Downtime ward round');
    await dialog.getByRole('textbox', { name: 'Note' }).fill(text);
    expect(await dialog.getByText('Write the note before saving it.').count(), 'the error goes once there is text').toBe(0);
    await saveScreenshot(page, TEST, 'write-note-dialog');
    await expectAccessible(page, 'write note');
    await dialog.getByRole('button', { name: 'Save note' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // It shows at once, pending upload.
    await shown(chartRegion(page).getByText('Note saved on this workstation — pending upload.'));
    const card = notesPanel.getByRole('article', { name: 'Downtime ward round' });
    await shown(card);
    await shown(card.getByText('Pending upload', { exact: true }));
    await shown(card.getByText('paul', { exact: false }));
    expect(await card.getByText('Plan: step down oxygen', { exact: false }).count()).toBe(1);
    await shown(page.getByRole('region', { name: /Documented here, not yet on the hub \(1\)/ }).getByText(/Note recorded/));
    await saveScreenshot(page, TEST, 'note-pending-upload');
    expect(stack.host.vault.outbox.count()).toBe(1);

    // The hub comes back: the note arrives once, in his name, and the mark goes.
    await stack.hub.start();
    await expect.poll(async () => (await notesOnHub()).length, { timeout: 4 * POLL_MS + 30_000, interval: 1_000 }).toBe(1);
    await expect.poll(() => card.getByText('Pending upload', { exact: true }).count(), { timeout: 30_000 }).toBe(0);
    await shown(card);
    await saveScreenshot(page, TEST, 'note-delivered');
    await stack.host.sync!.syncOnce();
    await stack.host.sync!.syncOnce();
    const held = await notesOnHub();
    expect(held).toHaveLength(1);
    const paul = stack.staff.find((a) => a.username === 'paul')!;
    expect(held[0]).toMatchObject({ status: 'current', description: 'Downtime ward round', author: [{ display: paul.username }] });
    expect(held[0]!.type?.coding?.[0]?.code).toBe('11506-3');

    // A nurse: "Write note" exactly when the table lets her document notes; she reads his note.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await shown(signInHeading(page));
    const nina = stack.account('nina');
    await signIn(page, nina);
    await expectCensus(page, stack.ward.patients.length);
    await openChart(page, name);
    await openChartTab(page, 'Notes');
    await shown(notesPanel.getByRole('article', { name: 'Downtime ward round' }));
    expect(await notesPanel.getByRole('button', { name: 'Write note' }).count()).toBe(isPermitted(nina.role, 'document:note') ? 1 : 0);

    expectNoPageProblems(watched);
    await watched.context.close();
  });
});
