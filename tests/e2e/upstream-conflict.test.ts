// A conflict with the hospital's EHR as a nurse meets it: vital signs she recorded reached the hub,
// but the EHR had closed the stay they were documented against before their time. The hub holds them
// from the EHR and says so in a version of the documentation (set up here as the hub's upstream
// outbox writes it; its detection against a real EHR is in tests/hub/upstream-mirror.test.ts). The
// banner points to the conflict after the next sync, the conflicts screen shows what she documented
// and the EHR's record beside it with the reason in words, and she keeps it out of the EHR: the hub
// then holds her decision.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { UPSTREAM_CONFLICT_TAG_SYSTEM, UPSTREAM_WITHHELD_TAG_SYSTEM, type Encounter, type Observation } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { hubReader, type HubReader } from './support/hub-reader.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, nurseablePatient } from './support/ward.js';
import { connectionBanner, expectCensus, shown, signIn } from './support/workstation-ui.js';

const TEST = 'upstream-conflict';
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const POLL_MS = 3_000;
let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 6, days: 2, pollIntervalMs: POLL_MS, seed: 'e2e-upstream-conflict' });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
});

afterAll(async () => {
  hub?.close();
  await browser?.close();
  await stack?.close();
});

async function hubIdOf(clientId: string): Promise<string | null> {
  const rows = await stack.hub.db.query<{ res_id: string }>(
    `SELECT res_id FROM fhir_tokens WHERE res_type = 'Observation' AND param = 'identifier' AND value = $1`,
    [clientId],
  );
  return rows[0]?.res_id ?? null;
}

describe('a conflict with the EHR', () => {
  it('is shown with the EHR record that contradicts it and kept out of the EHR by the nurse, which the hub records', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const patient = nurseablePatient(stack.ward);
    const patientId = patient.patient.id!;
    const name = censusName(patient.patient);

    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);

    const userId = stack.host.sessions.current().active!.userId;
    const receipt = stack.host.documentation!.recordVitalSigns(
      patientId,
      { heartRate: 131, effectiveAt: new Date(Date.now() - 10 * 60_000).toISOString() },
      { reference: `Practitioner/${userId}`, display: 'nina' },
    );
    const clientId = receipt.resourceIds.find((id) => id !== receipt.provenanceId)!;
    await expect.poll(() => hubIdOf(clientId), { timeout: 30_000 }).not.toBeNull();
    const hubId = (await hubIdOf(clientId))!;
    const uploaded = await hub.read<Observation>('Observation', hubId);

    // The hub's upstream outbox found the EHR had closed the stay an hour before: it holds the vital signs.
    const ehrStay: Encounter = {
      resourceType: 'Encounter',
      id: 'ehr-stay-1',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
      subject: { reference: `Patient/${patientId}` },
      period: { start: new Date(Date.now() - 86_400_000).toISOString(), end: new Date(Date.now() - 3_600_000).toISOString() },
    };
    await feedResources(stack.hub.db, [
      {
        ...uploaded,
        meta: { tag: [{ system: UPSTREAM_CONFLICT_TAG_SYSTEM, code: 'UPSTREAM_PATIENT_DISCHARGED' }] },
        contained: [ehrStay],
      } as Observation,
    ]);

    const toResolve = connectionBanner(page).getByRole('button', { name: '1 conflict to resolve' });
    await shown(toResolve, 4 * POLL_MS + 15_000);
    await toResolve.click();
    const card = await shown(page.getByRole('region', { name: new RegExp(`^Vital signs for ${escapeRegExp(name)}`) }));
    await shown(
      card.getByText(/The hospital's EHR contradicts this documentation: the EHR ended this stay \(discharge\) before the time documented/),
    );
    await shown(card.getByRole('table', { name: /Vital signs — documented here/ }));
    const ehrTable = await shown(card.getByRole('table', { name: /Hospital stay — in the EHR/ }));
    await shown(ehrTable.getByRole('row', { name: /finished/ }));
    expect(await card.getByRole('button', { name: 'Combine' }).count()).toBe(0);
    await saveScreenshot(page, TEST, 'conflicts-upstream');
    await expectAccessible(page, 'conflicts (EHR)');

    await card.getByRole('button', { name: 'Keep out of the EHR' }).click();
    await shown(page.getByText("The documentation stays at the hub and is kept out of the EHR; the EHR's record stands."));
    await shown(page.getByText('There are no conflicts to settle.'));

    // The hub holds her decision: the documentation as she recorded it, marked as kept from the EHR.
    await expect
      .poll(async () => (await hub.read<Observation>('Observation', hubId)).meta?.tag?.map((t) => t.system), { timeout: 30_000 })
      .toEqual([UPSTREAM_WITHHELD_TAG_SYSTEM]);
    const decided = await hub.read<Observation>('Observation', hubId);
    expect(decided.contained).toBeUndefined();
    expect(decided.valueQuantity?.value ?? decided.component?.[0]?.valueQuantity?.value).toBe(131);
    await expect
      .poll(
        () =>
          connectionBanner(page)
            .getByRole('button', { name: /conflict/ })
            .count(),
        { timeout: 15_000 },
      )
      .toBe(0);

    expectNoPageProblems(watched);
    await watched.context.close();
  });
});
