// A conflict whose record was marked entered in error meanwhile, as a nurse meets it: she corrected a
// heart rate on this workstation during downtime while a colleague marked the same reading entered in
// error at the hub. Entered in error is final: the card says who marked it, when and why, shows her
// value beside the withdrawn one, and offers neither "Keep my version" nor "Combine" (before session
// 14 it offered both, and "Keep my version" could only fail or stand the withdrawn reading up again).
// She records her value again as a new entry: the hub then holds the reading still withdrawn and her
// value as a new reading, measured at the same time, in her name.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { formatDateTime } from '../../shared/display/index.js';
import type { Observation } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { hubReader, type HubReader } from './support/hub-reader.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, nurseablePatient } from './support/ward.js';
import { connectionBanner, expectCensus, shown, signIn } from './support/workstation-ui.js';

const TEST = 'conflict-entered-in-error';
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const POLL_MS = 3_000;
const HEART_RATE = '8867-4';
let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 6, days: 2, pollIntervalMs: POLL_MS, seed: 'e2e-conflict-withdrawn' });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
});

afterAll(async () => {
  hub?.close();
  await browser?.close();
  await stack?.close();
});

describe('a conflict with a reading marked entered in error meanwhile', () => {
  it('says who marked it and when, offers no way to bring it back, and records her value again as a new entry', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const patient = nurseablePatient(stack.ward);
    const patientId = patient.patient.id!;
    const name = censusName(patient.patient);
    const original = patient.resources
      .filter((r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === HEART_RATE)
      .at(-1)!;
    const recorded = original.valueQuantity!.value!;
    const corrected = recorded + 6;

    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);

    // Downtime: nina corrects the reading here while a colleague marks it entered in error at the hub.
    await stack.hub.stop();
    await shown(connectionBanner(page).getByText(/Downtime — /), POLL_MS + 15_000);
    const cached = stack.host.vault.resources.read('Observation', original.id!) as Observation;
    const userId = stack.host.sessions.current().active!.userId;
    stack.host.documentation!.amendResource(
      {
        ...cached,
        status: 'corrected',
        valueQuantity: { ...cached.valueQuantity!, value: corrected },
        note: [...(cached.note ?? []), { text: `Corrected from ${recorded} to ${corrected}: recounted at the bedside` }],
      },
      { reference: `Practitioner/${userId}`, display: 'nina' },
    );
    const withdrawnAt = '2026-12-07T09:41:00Z';
    await feedResources(stack.hub.db, [
      {
        ...original,
        status: 'entered-in-error',
        note: [
          ...(original.note ?? []),
          { authorReference: { display: 'paul' }, time: withdrawnAt, text: 'Entered in error. Another patient’s reading.' },
        ],
      },
    ]);
    await stack.hub.start();

    const toResolve = connectionBanner(page).getByRole('button', { name: '1 conflict to resolve' });
    await shown(toResolve, 4 * POLL_MS + 15_000);
    await toResolve.click();
    const card = await shown(page.getByRole('region', { name: new RegExp(`^Vital signs for ${escapeRegExp(name)}`) }));

    // Who, when and why, in clinical words; her value stays shown beside the withdrawn one.
    const withdrawn = card.getByRole('region', { name: 'Marked entered in error' });
    await shown(
      withdrawn.getByText(
        new RegExp(`This vital sign was marked entered in error at the hub by paul on ${escapeRegExp(formatDateTime(withdrawnAt))},`),
      ),
    );
    await shown(withdrawn.getByText(/Its note: “Entered in error\. Another patient’s reading\.”/));
    await shown(withdrawn.getByText(/Entered in error is final: your version cannot replace it or be combined with it\./));
    const valueRow = card.getByRole('table').getByRole('row', { name: /Value \(differs\)/ });
    await shown(valueRow.getByRole('cell', { name: new RegExp(`^${corrected}\\b`) }));
    await shown(
      card
        .getByRole('table')
        .getByRole('row', { name: /^Status/ })
        .getByRole('cell', { name: 'Entered in error' }),
    );
    // No way to bring it back.
    expect(await card.getByRole('button', { name: 'Keep my version' }).count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Combine' }).count()).toBe(0);
    await shown(card.getByRole('button', { name: 'Accept entered in error' }));
    await saveScreenshot(page, TEST, 'withdrawn-conflict');
    await expectAccessible(page, 'conflicts (entered in error meanwhile)');

    await card.getByRole('button', { name: 'Record again as a new entry' }).click();
    await shown(page.getByText(/Your value was recorded again as a new entry/));
    await shown(page.getByText('There are no conflicts to settle.'));

    // At the hub: the reading still withdrawn, and her value as a new reading, measured at the same time.
    await expect
      .poll(
        async () =>
          (await hub.search<Observation>('Observation', `subject=Patient/${patientId}&code=${HEART_RATE}`)).filter(
            (o) => o.id !== original.id && o.valueQuantity?.value === corrected && o.status === 'final',
          ).length,
        { timeout: 20_000 },
      )
      .toBe(1);
    const again = (await hub.search<Observation>('Observation', `subject=Patient/${patientId}&code=${HEART_RATE}`)).find(
      (o) => o.id !== original.id && o.valueQuantity?.value === corrected,
    )!;
    expect(again.effectiveDateTime).toBe(original.effectiveDateTime);
    expect(again.performer).toEqual([expect.objectContaining({ reference: `Practitioner/${userId}` })]);
    expect(await hub.read<Observation>('Observation', original.id!)).toMatchObject({
      status: 'entered-in-error',
      valueQuantity: { value: recorded },
    });

    expectNoPageProblems(watched);
    await watched.context.close();
  });
});
