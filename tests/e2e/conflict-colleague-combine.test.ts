// A colleague settles a nurse's conflict with "Combine", in evaluation mode (Debian's Chromium, the
// real host over loopback, the real hub over TLS): in downtime nina corrects a heart rate (made
// through the host here; the chart's correction form is in nurse-corrects-entries.test.ts) while a
// colleague changes it at the hub. nina goes off shift; noor, a nurse of the same ward, signs in on
// the same workstation, the banner points to the conflict and she combines both versions, keeping
// nina's value. The hub takes it as noor's write: nina's correction note is carried as noor's note,
// quoting that nina documented it (the hub refuses a note in a colleague's name), nina's value and
// reason kept.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Observation } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { hubReader, type HubReader } from './support/hub-reader.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, nurseablePatient } from './support/ward.js';
import { connectionBanner, expectCensus, shown, signIn, signInHeading } from './support/workstation-ui.js';

const TEST = 'conflict-colleague-combine';
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const POLL_MS = 3_000;
const HEART_RATE = '8867-4';
let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 6, days: 2, pollIntervalMs: POLL_MS, seed: 'e2e-conflict-colleague' });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
});

afterAll(async () => {
  hub?.close();
  await browser?.close();
  await stack?.close();
});

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await shown(signInHeading(page));
}

describe("a colleague combines a nurse's conflict", () => {
  it("is taken by the hub as her write, the nurse's correction note carried in her name quoting whose it was", async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const patient = nurseablePatient(stack.ward);
    const name = censusName(patient.patient);
    const original = patient.resources
      .filter((r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === HEART_RATE)
      .at(-1)!;
    const unit = original.valueQuantity!.unit!;
    const corrected = original.valueQuantity!.value! === 88 ? 89 : 88;
    const colleagues = original.valueQuantity!.value! === 81 ? 82 : 81;

    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);

    // Downtime: nina corrects the reading here while a colleague changes it at the hub.
    await stack.hub.stop();
    await shown(connectionBanner(page).getByText(/Downtime — /), POLL_MS + 15_000);
    const userId = stack.host.sessions.current().active!.userId;
    stack.host.documentation!.amend(
      {
        patientId: patient.patient.id!,
        resourceType: 'Observation',
        id: original.id!,
        versionId: stack.host.vault.resources.versionOf('Observation', original.id!)!.versionId!,
        action: 'correct',
        reason: 'wrong-value',
        note: 'Monitor was on the wrong patient',
        values: { value: corrected },
      },
      { reference: `Practitioner/${userId}`, display: 'nina' },
    );
    await feedResources(stack.hub.db, [
      {
        ...original,
        status: 'corrected',
        valueQuantity: { ...original.valueQuantity!, value: colleagues },
        note: [...(original.note ?? []), { text: 'Rechecked at the monitor' }],
      },
    ]);
    await stack.hub.start();

    // nina goes off shift; noor signs in on the same workstation and meets the conflict.
    await signOut(page);
    await signIn(page, stack.account('noor'));
    const toResolve = connectionBanner(page).getByRole('button', { name: '1 conflict to resolve' });
    await shown(toResolve, 4 * POLL_MS + 15_000);
    await toResolve.click();
    const card = await shown(page.getByRole('region', { name: new RegExp(`^Vital signs for ${escapeRegExp(name)}`) }));
    await card.getByRole('button', { name: 'Combine' }).click();
    await card.getByRole('button', { name: 'Send combined version' }).click();
    await shown(page.getByText('The combined version was saved here and will be sent to the hub.'));
    await shown(page.getByText('There are no conflicts to settle.'));
    await saveScreenshot(page, TEST, 'combined-by-colleague');

    await expect
      .poll(async () => (await hub.read<Observation>('Observation', original.id!)).meta?.versionId, { timeout: 20_000 })
      .toBe('3');
    const settled = await hub.read<Observation>('Observation', original.id!);
    expect(settled.valueQuantity?.value).toBe(corrected);
    expect(settled.note?.slice(-2).map((n) => n.text)).toEqual([
      'Rechecked at the monitor',
      `Corrected from ${colleagues} ${unit} to ${corrected} ${unit}. Reason: Wrong value typed. Monitor was on the wrong patient ` +
        "(Documented by nina; combined with the hub's version by noor.)",
    ]);
    expect(settled.note?.at(-1)?.authorReference?.display).toBe('noor');

    expectNoPageProblems(watched);
    await watched.context.close();
  });
});
