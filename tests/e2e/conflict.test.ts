// A conflict as a nurse meets it: a vital sign corrected on this workstation during downtime was
// changed on the hub meanwhile. After the hub is back the banner points to the conflict, the
// conflicts screen shows both versions side by side with the differences marked, and she combines
// them field by field (her corrected value, the hub's status); the notes are not chosen: the screen
// shows that both versions' notes are kept, and the hub then holds that combination.
// (The correction that meets the hub's change is made through the host here, to set up a combination
// of two notes; the same path from the chart's correction form is in nurse-corrects-entries.test.ts.)
// A conflict whose patient's chart this workstation no longer holds (purged before the
// keep-until-settled rule) is still listed, as many as the banner counts, marked "Patient no longer
// on this ward" with the patient record id the conflict carries, and she settles it. One whose chart
// was restricted (labelled on its Patient alone) is listed withheld until she uses emergency access.
// One whose patient left the ward after a colleague corrected the reading at the hub shows the
// colleague's value (the hub still shows the ward a patient left the current version of a record of
// the stay it may change) and is settled as any other. Every
// card is in clinical words: what, value and unit, time, who recorded it, status, note; no ids.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { RESTRICTED_LABEL } from '../../shared/access/index.js';
import type { Encounter, Observation, Patient } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { hubReader, type HubReader } from './support/hub-reader.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, nurseablePatient } from './support/ward.js';
import { connectionBanner, expectCensus, shown, signIn, signInHeading } from './support/workstation-ui.js';

const TEST = 'conflict';
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const POLL_MS = 3_000;
const HEART_RATE = '8867-4';
let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 8, days: 2, pollIntervalMs: POLL_MS, seed: 'e2e-conflict' });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
});

afterAll(async () => {
  hub?.close();
  await browser?.close();
  await stack?.close();
});

describe('a conflict', () => {
  it('is shown with both versions side by side and settled by the nurse with a combination that reaches the hub', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const patient = nurseablePatient(stack.ward);
    const name = censusName(patient.patient);
    const original = patient.resources
      .filter((r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === HEART_RATE)
      .at(-1)!;
    const recorded = original.valueQuantity!.value!;
    const corrected = recorded + 7;

    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);

    // Downtime: nina corrects the reading here while the lab adds a note to it on the hub.
    await stack.hub.stop();
    await shown(connectionBanner(page).getByText(/Downtime — /), POLL_MS + 15_000);
    const cached = stack.host.vault.resources.read('Observation', original.id!) as Observation;
    const userId = stack.host.sessions.current().active!.userId;
    stack.host.documentation!.amendResource(
      { ...cached, valueQuantity: { ...cached.valueQuantity!, value: corrected }, note: [{ text: 'Recounted at the bedside' }] },
      { reference: `Practitioner/${userId}`, display: 'nina' },
    );
    await feedResources(stack.hub.db, [{ ...original, note: [{ text: 'Verified against the monitor' }] }]);
    await stack.hub.start();

    // The banner points to the conflict; nobody clicked anything for it to appear.
    const toResolve = connectionBanner(page).getByRole('button', { name: '1 conflict to resolve' });
    await shown(toResolve, 4 * POLL_MS + 15_000);
    await saveScreenshot(page, TEST, 'banner-conflict');
    await toResolve.click();

    const card = await shown(page.getByRole('region', { name: new RegExp(`^Vital signs for ${escapeRegExp(name)}`) }));
    const table = card.getByRole('table');
    await shown(table.getByRole('columnheader', { name: 'This workstation' }));
    await shown(table.getByRole('columnheader', { name: 'Hub' }));
    const valueRow = table.getByRole('row', { name: /Value \(differs\)/ });
    await shown(valueRow.getByRole('cell', { name: new RegExp(`^${corrected}\\b`) }));
    await shown(valueRow.getByRole('cell', { name: new RegExp(`^${recorded}\\b`) }));
    const noteRow = table.getByRole('row', { name: /Note \(differs\)/ });
    await shown(noteRow.getByRole('cell', { name: 'Recounted at the bedside' }));
    await shown(noteRow.getByRole('cell', { name: 'Verified against the monitor' }));
    // In clinical words: what, who recorded it, the status in words; no record ids or version numbers.
    await shown(
      table
        .getByRole('row', { name: /^What was recorded/ })
        .getByRole('cell', { name: 'Heart rate' })
        .first(),
    );
    const recorder = original.performer![0]!.display!;
    await shown(
      table
        .getByRole('row', { name: /^Recorded by/ })
        .getByRole('cell', { name: recorder })
        .first(),
    );
    expect(await card.getByText(/(Patient|Encounter|Practitioner|Observation)\/|versionId|\bversion \d/).count()).toBe(0);
    expect(await table.getByRole('row', { name: /^(Patient|Admission|Identifier|Category)\b/ }).count()).toBe(0);
    const effects = card.getByRole('region', { name: 'What each choice does' });
    await shown(effects.getByText(/Keep hub version: your change is set aside; the hub's version stays as it is\./));
    await shown(effects.getByText(/Keep my version: your version is sent to the hub again and replaces the hub's version\./));
    await shown(effects.getByText(/Combine: you choose, line by line, which value to keep/));
    await saveScreenshot(page, TEST, 'conflicts-both-versions');
    await expectAccessible(page, 'conflicts');

    // She keeps her corrected value; no one's note is dropped, and the screen says so before she sends.
    await card.getByRole('button', { name: 'Combine' }).click();
    expect(await card.getByRole('radiogroup', { name: 'Use which note' }).count()).toBe(0);
    const notes = card.getByRole('region', { name: 'Notes of the combined version' });
    await shown(notes.getByRole('listitem').filter({ hasText: 'Verified against the monitor' }));
    await shown(notes.getByRole('listitem').filter({ hasText: 'Recounted at the bedside' }));
    await saveScreenshot(page, TEST, 'conflicts-combine');
    await expectAccessible(page, 'conflicts (combining)');
    await card.getByRole('button', { name: 'Send combined version' }).click();
    await shown(page.getByText('The combined version was saved here and will be sent to the hub.'));
    await shown(page.getByText('There are no conflicts to settle.'));

    await expect
      .poll(async () => (await hub.read<Observation>('Observation', original.id!)).meta?.versionId, { timeout: 20_000 })
      .toBe('3');
    const settled = await hub.read<Observation>('Observation', original.id!);
    expect(settled.valueQuantity?.value).toBe(corrected);
    expect(settled.note?.map((n) => n.text)).toEqual(['Verified against the monitor', 'Recounted at the bedside']);
    await expect
      .poll(
        () =>
          connectionBanner(page)
            .getByRole('button', { name: /conflict/ })
            .count(),
        { timeout: 15_000 },
      )
      .toBe(0);
    await saveScreenshot(page, TEST, 'conflicts-settled');

    expectNoPageProblems(watched);
    await watched.context.close();
  });

  it('whose patient the workstation no longer holds is listed as the banner counts it, marked, and settled', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'purged-failure').then(() => undefined));
    const patient = nurseablePatient(stack.ward, () => true, 1);
    const patientId = patient.patient.id!;
    const original = patient.resources
      .filter((r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === HEART_RATE)
      .at(-1)!;

    await page.goto(stack.issueUrl());
    if (await signInHeadingShown(page)) await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);

    // Downtime: nina corrects a reading here while the lab changes it on the hub.
    await stack.hub.stop();
    await shown(connectionBanner(page).getByText(/Downtime — /), POLL_MS + 15_000);
    const cached = stack.host.vault.resources.read('Observation', original.id!) as Observation;
    const userId = stack.host.sessions.current().active!.userId;
    stack.host.documentation!.amendResource(
      { ...cached, note: [{ text: 'Recounted at the bedside' }] },
      { reference: `Practitioner/${userId}`, display: 'nina' },
    );
    await feedResources(stack.hub.db, [{ ...original, note: [{ text: 'Verified against the monitor' }] }]);
    await stack.hub.start();
    await shown(connectionBanner(page).getByRole('button', { name: '1 conflict to resolve' }), 4 * POLL_MS + 15_000);

    // The patient is discharged at the hub; the workstation purges the chart with the conflict still
    // open, as it did before the keep-until-settled rule.
    const finished: Encounter = {
      ...patient.encounter,
      status: 'finished',
      period: { ...patient.encounter.period, end: new Date().toISOString() },
    };
    await feedResources(stack.hub.db, [finished]);
    await expect
      .poll(() => stack.host.vault.census().some((e) => e.patientId === patientId), { timeout: 4 * POLL_MS + 15_000 })
      .toBe(false);
    stack.host.vault.sync.purgePatient(patientId);
    expect(stack.host.vault.resources.read('Patient', patientId)).toBeNull();

    // The banner still counts it, and the list shows it: marked, named by the record id it carries.
    const toResolve = connectionBanner(page).getByRole('button', { name: '1 conflict to resolve' });
    await shown(toResolve);
    await toResolve.click();
    const card = await shown(page.getByRole('region', { name: `Vital signs for patient record ${patientId}` }));
    await shown(card.getByText('Patient no longer on this ward', { exact: true }));
    await shown(card.getByRole('row', { name: /Note \(differs\)/ }).getByRole('cell', { name: 'Recounted at the bedside' }));
    expect(await page.getByRole('region', { name: /^Vital signs for / }).count()).toBe(1);
    await saveScreenshot(page, TEST, 'conflicts-patient-gone');
    await expectAccessible(page, 'conflicts (patient no longer on this ward)');

    await card.getByRole('button', { name: 'Keep hub version' }).click();
    await shown(page.getByText("The hub's version was kept; your version was set aside."));
    await shown(page.getByText('There are no conflicts to settle.'));
    await expect
      .poll(
        () =>
          connectionBanner(page)
            .getByRole('button', { name: /conflict/ })
            .count(),
        { timeout: 15_000 },
      )
      .toBe(0);
    expect(stack.host.vault.conflicts.count()).toBe(0);
    expect(stack.host.vault.resources.read('Patient', patientId)).toBeNull();

    expectNoPageProblems(watched);
    await watched.context.close();
  });
  it("whose patient left the ward shows the colleague's newer value in clinical words, what each choice does, and is settled", async () => {
    // Review 12: the hub refused this workstation its copy (403) once the patient had left the ward, so
    // the card said "cannot be shown" and the nurse settled it blind. The hub now shows the ward a
    // patient left the current version of a record of the stay it may still change.
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'left-ward-failure').then(() => undefined));
    const patient = nurseablePatient(stack.ward, () => true, 3);
    const patientId = patient.patient.id!;
    const original = patient.resources
      .filter((r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === HEART_RATE)
      .at(-1)!;
    const corrected = original.valueQuantity!.value! + 5;
    const theirs = original.valueQuantity!.value! + 11;

    await page.goto(stack.issueUrl());
    if (await signInHeadingShown(page)) await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.host.vault.census().length);

    // Downtime: nina corrects the reading here; at the hub a colleague corrects it too, and the patient is discharged.
    await stack.hub.stop();
    await shown(connectionBanner(page).getByText(/Downtime — /), POLL_MS + 15_000);
    const cached = stack.host.vault.resources.read('Observation', original.id!) as Observation;
    const userId = stack.host.sessions.current().active!.userId;
    stack.host.documentation!.amendResource(
      {
        ...cached,
        status: 'corrected',
        valueQuantity: { ...cached.valueQuantity!, value: corrected },
        note: [{ text: 'Recounted at the bedside' }],
      },
      { reference: `Practitioner/${userId}`, display: 'nina' },
    );
    const finished: Encounter = {
      ...patient.encounter,
      status: 'finished',
      period: { ...patient.encounter.period, end: new Date().toISOString() },
    };
    await feedResources(stack.hub.db, [
      {
        ...original,
        status: 'corrected',
        valueQuantity: { ...original.valueQuantity!, value: theirs },
        note: [{ text: 'Rechecked by a colleague' }],
      },
      finished,
    ]);
    await stack.hub.start();

    const toResolve = connectionBanner(page).getByRole('button', { name: '1 conflict to resolve' });
    await shown(toResolve, 4 * POLL_MS + 15_000);
    await toResolve.click();
    const card = await shown(page.getByRole('region', { name: /^Vital signs for / }));
    await shown(card.getByText('Left the ward', { exact: true }));
    // Both versions in clinical words: hers and the colleague's, the differences marked.
    const table = card.getByRole('table');
    const valueRow = table.getByRole('row', { name: /Value \(differs\)/ });
    await shown(valueRow.getByRole('cell', { name: new RegExp(`^${corrected} beats/minute$`) }));
    await shown(valueRow.getByRole('cell', { name: new RegExp(`^${theirs} beats/minute$`) }));
    const noteRow = table.getByRole('row', { name: /Note \(differs\)/ });
    await shown(noteRow.getByRole('cell', { name: 'Recounted at the bedside' }));
    await shown(noteRow.getByRole('cell', { name: 'Rechecked by a colleague' }));
    await shown(
      table
        .getByRole('row', { name: /^Recorded by/ })
        .getByRole('cell', { name: original.performer![0]!.display! })
        .first(),
    );
    // Nothing says the hub's copy is unknown; no ids, no version numbers.
    expect(await card.getByText(/cannot be shown|Cannot be shown|Not known here/).count()).toBe(0);
    expect(await card.getByText(/(Patient|Encounter|Practitioner|Observation)\/|\bversion \d/).count()).toBe(0);
    const effects = card.getByRole('region', { name: 'What each choice does' });
    await shown(effects.getByText(/Keep hub version: your change is set aside; the hub's version stays as it is\./));
    await shown(effects.getByText(/Keep my version: your version is sent to the hub again and replaces the hub's version\./));
    await shown(effects.getByText(/Combine: you choose, line by line, which value to keep/));
    await shown(card.getByRole('button', { name: 'Combine' }));
    await saveScreenshot(page, TEST, 'conflicts-left-ward');
    await expectAccessible(page, 'conflicts (patient left the ward)');

    await card.getByRole('button', { name: 'Keep my version' }).click();
    await shown(page.getByText('Your version will be sent to the hub again, on top of its version.'));
    await shown(page.getByText('There are no conflicts to settle.'));
    // The hub no longer shows a ward device this patient's chart either: read its store.
    const atHub = async (): Promise<Observation> => {
      const [row] = await stack.hub.db.query<{ content: string }>(
        'SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = $1 AND res_id = $2',
        ['Observation', original.id!],
      );
      return JSON.parse(row!.content) as Observation;
    };
    await expect.poll(async () => (await atHub()).meta?.versionId, { timeout: 20_000 }).toBe('3');
    expect((await atHub()).valueQuantity?.value).toBe(corrected);
    await expect.poll(() => stack.host.vault.resources.read('Patient', patientId), { timeout: 4 * POLL_MS + 15_000 }).toBeNull();

    expectNoPageProblems(watched);
    await watched.context.close();
  });

  it('whose restricted patient the workstation no longer holds is withheld until she uses emergency access, then settled', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'restricted-purged-failure').then(() => undefined));
    const patient = nurseablePatient(stack.ward, () => true, 2);
    const patientId = patient.patient.id!;
    const original = patient.resources
      .filter((r): r is Observation & { id: string } => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === HEART_RATE)
      .at(-1)!;

    await page.goto(stack.issueUrl());
    if (await signInHeadingShown(page)) await signIn(page, stack.account('nina'));
    // The census lists the patients the earlier tests did not discharge.
    await expectCensus(page, stack.host.vault.census().length);

    // The chart is restricted by its Patient's label alone; a conflict of it is kept, then the
    // patient is discharged at the hub and the chart purged here with the conflict still open.
    const held = stack.host.vault.resources.read('Patient', patientId) as Patient;
    stack.host.vault.resources.upsert({ ...held, meta: { ...held.meta, security: [RESTRICTED_LABEL] } });
    const local = {
      entryId: 'restricted-purged-entry',
      patientId,
      items: [{ operation: 'update' as const, resource: { ...original, note: [{ text: 'Recounted at the bedside' }] }, baseVersion: '1' }],
      provenance: null,
      createdAt: new Date().toISOString(),
    };
    stack.host.vault.conflicts.add({
      conflictId: 'restricted-purged-conflict',
      entryId: local.entryId,
      patientId,
      reason: 'version-conflict',
      errorCode: 'VERSION_CONFLICT',
      local,
      hub: [original],
      detectedAt: new Date().toISOString(),
    });
    const finished: Encounter = {
      ...patient.encounter,
      status: 'finished',
      period: { ...patient.encounter.period, end: new Date().toISOString() },
    };
    await feedResources(stack.hub.db, [finished]);
    await expect
      .poll(() => stack.host.vault.census().some((e) => e.patientId === patientId), { timeout: 4 * POLL_MS + 15_000 })
      .toBe(false);
    stack.host.vault.sync.purgePatient(patientId);
    expect(stack.host.vault.resources.read('Patient', patientId)).toBeNull();

    const toResolve = connectionBanner(page).getByRole('button', { name: '1 conflict to resolve' });
    await shown(toResolve, 4 * POLL_MS + 15_000);
    await toResolve.click();
    const withheld = await shown(page.getByRole('region', { name: `Conflict for patient record ${patientId} (not shown to you)` }));
    await shown(withheld.getByText('Patient no longer on this ward', { exact: true }));
    expect(await page.getByText('Recounted at the bedside').count()).toBe(0);
    await withheld.getByRole('button', { name: 'Use emergency access to settle' }).click();
    await withheld.getByRole('radio', { name: 'Emergency treatment' }).click();
    await withheld.getByLabel('Justification').fill('Settling the open conflict of this restricted chart');
    await saveScreenshot(page, TEST, 'conflicts-restricted-patient-gone');
    await expectAccessible(page, 'conflicts (restricted patient no longer on this ward)');
    await withheld.getByRole('button', { name: 'Open chart with emergency access' }).click();

    const card = await shown(page.getByRole('region', { name: `Vital signs for patient record ${patientId}` }));
    await shown(card.getByRole('row', { name: /Note \(differs\)/ }).getByRole('cell', { name: 'Recounted at the bedside' }));
    await card.getByRole('button', { name: 'Keep hub version' }).click();
    await shown(page.getByText('There are no conflicts to settle.'));
    expect(stack.host.vault.conflicts.count()).toBe(0);
    const trail = stack.host.audit.find({ patient: patientId });
    expect(trail.map((e) => e.action)).toContain('btg-start');
    expect(trail.filter((e) => e.action === 'update').at(-1)).toMatchObject({ purposeOfUse: 'ETREAT', detail: { resolution: 'keep-hub' } });

    expectNoPageProblems(watched);
    await watched.context.close();
  });
});

/** Whether the page opened on the sign-in screen (the session of the previous test may have ended) rather than the census. */
async function signInHeadingShown(page: Page): Promise<boolean> {
  await shown(page.getByRole('heading', { name: /^(Sign in to Wardline|Ward census|Wardline is locked)$/ }));
  return signInHeading(page).isVisible();
}
