// The acceptance test of a whole shift (issue 15), only through what users touch: the workstation's
// screens in Chromium, the `wardline` CLI, and the hub's FHIR API over HTTPS (as a colleague at
// another workstation and as the privacy officer). Nothing here calls into the host's objects.
//
// A nurse and a physician share the ward's workstation: they sign in, read charts, the nurse
// records vital signs and doses. The hub goes down and they go on documenting (she records, the
// physician writes a ward-round note); she corrects a
// reading that a colleague, meanwhile, annotates at the hub. The hub comes back (same data, same
// port); the workstation's upload of her correction meets the colleague's version (a 412), and she
// settles the conflict on the conflicts screen. At the end of the shift the hub holds each
// documented resource exactly once and every audit entry of the shift exactly once, its chain
// intact and the signed checkpoint matching; `wardline audit verify` passes, and `wardline wipe`
// without --force refuses while anything is pending, then goes ahead once it is all delivered.
//
// Set-up only (the parts of the world around the product): the hub with its synthetic ward, the
// workstation enrolled at it, the hospital's feed adding two as-needed orders, and the ward's
// network link (a proxy the test cuts while the hub is back, so the colleague's change reaches the
// hub before the workstation does).
import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { AUDIT_CHAIN_EXTENSION_URL, GENESIS_PREVIOUS_HASH } from '../../shared/auth/index.js';
import { formatDateTime } from '../../shared/display/index.js';
import type {
  Bundle,
  DocumentReference,
  MedicationAdministration,
  MedicationRequest,
  Observation,
  Resource,
} from '../../shared/fhir/index.js';
import { CLIENT_ID_SYSTEM, RXNORM_SYSTEM, UCUM_SYSTEM } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { wardline } from '../support/wardline-cli.js';
import { expectNoPageProblems, launchChromium, watchedPage, type WatchedPage } from '../e2e/support/browser.js';
import { hubReader, type HubReader } from '../e2e/support/hub-reader.js';
import { saveScreenshot } from '../e2e/support/screenshots.js';
import { censusName, mrnOf, nurseablePatient } from '../e2e/support/ward.js';
import {
  chartRegion,
  connectionBanner,
  expectCensus,
  lockHeading,
  openChart,
  openChartTab,
  savedNotice,
  setPinFromOffer,
  shown,
  signIn,
  signInHeading,
  submitSignIn,
  unlockWithPin,
} from '../e2e/support/workstation-ui.js';

const TEST = 'whole-shift';
const POLL_MS = 2_000;
/** How long a change of connectivity may take to reach the banner (a few sync cycles, with backoff). */
const BANNER_MS = 6 * POLL_MS + 20_000;
const HEART_RATE = '8867-4';
const PIN = '2468';
const NOTE_TEXT = 'Ward round during downtime: comfortable, chest clear. Plan: oral fluids, bloods in the morning.';
const CHAIN_FLAG_SYSTEM = 'https://wardline.example/fhir/CodeSystem/audit-chain-flag';
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let stack: WardlineStack;
let browser: Browser;
let hub: HubReader;
let watched: WatchedPage | undefined;

beforeAll(async () => {
  stack = await startWardlineStack({
    patients: 6,
    days: 2,
    pollIntervalMs: POLL_MS,
    seed: 'acceptance-shift',
    networkLink: true,
    hashing: 'fast',
  });
  browser = await launchChromium();
  hub = await hubReader(stack.hub);
}, 180_000);

afterAll(async () => {
  await watched?.context.close();
  hub?.close();
  await browser?.close();
  await stack?.close();
});

/** An as-needed paracetamol order, as the hospital's feed sends it (no dose given yet, so one may be given now). */
function asNeededOrder(id: string, patientId: string, text: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: RXNORM_SYSTEM, code: '313782', display: text }], text },
    subject: { reference: `Patient/${patientId}` },
    authoredOn: new Date(Date.now() - 86_400_000).toISOString(),
    dosageInstruction: [
      {
        text: '500 mg orally every 6 hours as needed for pain',
        timing: { repeat: { frequency: 1, period: 6, periodUnit: 'h' } },
        asNeededBoolean: true,
        doseAndRate: [{ doseQuantity: { value: 500, unit: 'mg', system: UCUM_SYSTEM, code: 'mg' } }],
      },
    ],
  } as MedicationRequest;
}

/**
 * `hubUp`: the save's own sync may deliver it before the notice is read, so either state is taken;
 * in downtime the notice must say it waits.
 */
async function recordVitals(page: Page, heartRate: number, temperature: string, hubUp = false): Promise<void> {
  await openChartTab(page, 'Vital signs');
  await page.getByRole('button', { name: 'Record vital signs' }).click();
  const dialog = await shown(page.getByRole('dialog', { name: 'Record vital signs' }));
  await dialog.getByLabel('Heart rate').fill(String(heartRate));
  await dialog.getByLabel('Systolic blood pressure').fill('128');
  await dialog.getByLabel('Diastolic blood pressure').fill('81');
  await dialog.getByLabel('Temperature').fill(temperature);
  await dialog.getByLabel('Oxygen saturation (SpO2)').fill('96');
  await dialog.getByRole('button', { name: 'Save vital signs' }).click();
  await shown(
    hubUp ? savedNotice(page, 'Vital signs') : chartRegion(page).getByText('Vital signs saved on this workstation — pending upload.'),
  );
  await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
}

async function recordAsNeededDose(page: Page, medication: string, mrn: string, hubUp = false): Promise<void> {
  await openChartTab(page, 'MAR');
  const mar = page.getByRole('table', { name: 'Medication administration record' });
  // The order reaches the workstation with its next sync: wait for the MAR to offer it.
  await shown(mar.getByRole('button', { name: `Record administration of ${medication}` }), BANNER_MS);
  await mar.getByRole('button', { name: `Record administration of ${medication}` }).click();
  const dialog = await shown(page.getByRole('dialog', { name: 'Record administration' }));
  await dialog.getByLabel('Scan the wristband or type the MRN').fill(mrn);
  await dialog.getByRole('button', { name: 'Save administration' }).click();
  await shown(
    hubUp ? savedNotice(page, 'Administration') : chartRegion(page).getByText('Administration saved on this workstation — pending upload.'),
  );
  await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
}

/** On the lock screen: `who` picks their locked session if a choice is needed and unlocks with their password. */
async function resumeWithPassword(page: Page, who: { username: string; password: string }): Promise<void> {
  await shown(lockHeading(page));
  const field = page.getByLabel(`Password for ${who.username}`);
  if (!(await field.isVisible()))
    await page
      .getByRole('list', { name: 'Locked sessions' })
      .getByRole('button', { name: new RegExp(`^${who.username}\\b`) })
      .click();
  await field.fill(who.password);
  await page.getByRole('button', { name: 'Unlock with password' }).click();
  await shown(page.getByRole('banner').getByText(who.username, { exact: true }));
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
}

async function backToCensus(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: 'Census', exact: true }).click();
  await shown(page.getByRole('heading', { name: 'Ward census' }));
}

/** Documentation made on a workstation, as the hub holds it: resources of the patients carrying a client id. */
async function documentedAtHub(patientIds: readonly string[]): Promise<Resource[]> {
  const found: Resource[] = [];
  for (const patientId of patientIds) {
    found.push(...(await hub.search<Observation>('Observation', `subject=Patient/${patientId}`)));
    found.push(...(await hub.search<MedicationAdministration>('MedicationAdministration', `subject=Patient/${patientId}`)));
    found.push(...(await hub.search<DocumentReference>('DocumentReference', `subject=Patient/${patientId}`)));
  }
  return found.filter((r) => (r as Observation).identifier?.some((i) => i.system === CLIENT_ID_SYSTEM) === true);
}

const clientIdOf = (r: Resource): string => (r as Observation).identifier!.find((i) => i.system === CLIENT_ID_SYSTEM)!.value!;
const heartRatesOf = (resources: readonly Resource[], patientId: string, value: number): Resource[] =>
  resources.filter(
    (r) =>
      r.resourceType === 'Observation' &&
      (r as Observation).subject?.reference === `Patient/${patientId}` &&
      (r as Observation).code.coding?.some((c) => c.code === HEART_RATE) === true &&
      (r as Observation).valueQuantity?.value === value,
  );
const dosesOf = (resources: readonly Resource[], orderId: string): Resource[] =>
  resources.filter(
    (r) =>
      r.resourceType === 'MedicationAdministration' &&
      (r as MedicationAdministration).request?.reference === `MedicationRequest/${orderId}`,
  );

interface ChainLink {
  readonly id: string;
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
  readonly entry: string;
}

function chainLinkOf(event: Resource): ChainLink {
  const chain = (
    event as {
      extension?: { url: string; extension?: { url: string; valueInteger?: number; valueString?: string; valueBase64Binary?: string }[] }[];
    }
  ).extension?.find((e) => e.url === AUDIT_CHAIN_EXTENSION_URL);
  const part = (name: string) => chain?.extension?.find((e) => e.url === name);
  return {
    id: event.id!,
    sequence: part('sequence')?.valueInteger ?? Number.NaN,
    previousHash: part('previousHash')?.valueString ?? '',
    hash: part('hash')?.valueString ?? '',
    entry: Buffer.from(part('entry')?.valueBase64Binary ?? '', 'base64').toString('utf8'),
  };
}

describe('a whole shift', () => {
  it('documents online and through downtime, settles a conflict, and leaves the hub holding every resource and audit entry exactly once', async () => {
    watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() =>
      saveScreenshot(page, TEST, 'failure').then(
        () => undefined,
        () => undefined,
      ),
    );
    const first = nurseablePatient(stack.ward, (p) =>
      p.resources.some((r) => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === HEART_RATE),
    );
    const second = nurseablePatient(stack.ward, (p) => p.patient.id !== first.patient.id);
    const third = nurseablePatient(stack.ward, (p) => p.patient.id !== first.patient.id && p.patient.id !== second.patient.id);
    const [firstId, secondId, thirdId] = [first.patient.id!, second.patient.id!, third.patient.id!];
    const firstName = censusName(first.patient);
    const secondName = censusName(second.patient);
    const firstDrug = 'Paracetamol shift order A 500 MG Oral Tablet';
    const secondDrug = 'Paracetamol shift order B 500 MG Oral Tablet';
    // The hospital's feed orders pain relief for two patients; the workstation learns it at its next sync.
    await feedResources(stack.hub.db, [
      asNeededOrder('shift-paracetamol-a', firstId, firstDrug),
      asNeededOrder('shift-paracetamol-b', secondId, secondDrug),
    ]);
    const nina = stack.account('nina');
    const noor = stack.account('noor');
    const paul = stack.account('paul');
    const adam = stack.account('adam');

    // — Start of the shift: nina signs in, sets her PIN, reads a chart and documents online.
    await page.goto(stack.url);
    await signIn(page, nina);
    await setPinFromOffer(page, PIN);
    await expectCensus(page, stack.ward.patients.length);
    await expect.poll(() => connectionBanner(page).textContent()).toContain('Online');
    await openChart(page, firstName);
    await recordVitals(page, 131, '37.9', true);
    await recordAsNeededDose(page, firstDrug, mrnOf(first.patient), true);
    await expect.poll(async () => heartRatesOf(await documentedAtHub([firstId]), firstId, 131).length, { timeout: BANNER_MS }).toBe(1);
    await saveScreenshot(page, TEST, 'online-documented');

    // — The physician comes by: nina locks, paul signs in beside her locked session and reads a chart.
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('button', { name: 'Switch user' }).click();
    await shown(page.getByRole('heading', { name: 'Sign in as another user' }));
    await submitSignIn(page, paul);
    await expectCensus(page, stack.ward.patients.length);
    await shown(page.getByRole('banner').getByText('paul', { exact: true }));
    await openChart(page, censusName(third.patient));
    await openChartTab(page, 'Vital signs');
    await shown(page.getByRole('region', { name: /^Heart rate/ }));
    expect(await page.getByRole('button', { name: 'Record vital signs' }).count(), 'vital signs are nursing documentation').toBe(0);
    await saveScreenshot(page, TEST, 'physician-reads');
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await unlockWithPin(page, nina.username, PIN);
    await shown(page.getByRole('heading', { level: 2, name: firstName }));

    // — The hub goes down. The banner says so by itself; nina goes on documenting.
    await stack.hub.stop();
    await shown(connectionBanner(page).getByText(/Downtime — /), BANNER_MS);
    // Nothing refreshes the charts now: the banner does not call them up to date.
    await shown(connectionBanner(page).getByText('Recent, not confirmed by the hub', { exact: true }));
    expect(await connectionBanner(page).textContent()).not.toContain('Up to date');
    await backToCensus(page);
    await openChart(page, secondName);
    // The chart's own "data as of" agrees with the banner: not confirmed by the hub.
    await shown(page.getByRole('region', { name: secondName }).getByText(/ — Recent, not confirmed by the hub$/));
    await recordVitals(page, 127, '38.4');
    await recordAsNeededDose(page, secondDrug, mrnOf(second.patient));
    await saveScreenshot(page, TEST, 'downtime-documented');

    // She corrects the last heart rate charted on the first patient (the hub holds it at version 1).
    const reading = first.resources
      .filter((r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === HEART_RATE)
      .sort((a, b) => Date.parse(b.effectiveDateTime!) - Date.parse(a.effectiveDateTime!))[0]!;
    await backToCensus(page);
    await openChart(page, firstName);
    await openChartTab(page, 'Vital signs');
    const recorded = await shown(page.getByRole('region', { name: 'Recorded vital signs' }));
    const row = recorded.getByRole('row', {
      name: new RegExp(`^${escapeRegExp(`Heart rate ${formatDateTime(reading.effectiveDateTime)}`)}`),
    });
    await row.getByRole('button', { name: /^Correct or retract Heart rate/ }).click();
    const dialog = await shown(page.getByRole('dialog', { name: 'Correct or retract an entry' }));
    const corrected = reading.valueQuantity!.value! === 88 ? 89 : 88;
    await dialog.getByLabel('Corrected value').fill(String(corrected));
    await dialog.getByRole('radio', { name: 'Wrong value typed' }).click();
    await dialog.getByRole('button', { name: 'Save correction' }).click();
    await shown(chartRegion(page).getByText('Correction saved on this workstation — pending upload.'));

    // The physician comes back in downtime: nina locks, paul resumes his session with his password
    // (he has no PIN here) and writes a ward-round note; then nina resumes hers with her PIN.
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await resumeWithPassword(page, paul);
    await backToCensus(page);
    await openChart(page, censusName(third.patient));
    await openChartTab(page, 'Notes');
    const notes = page.getByRole('tabpanel', { name: 'Notes' });
    await notes.getByRole('button', { name: 'Write note' }).click();
    const noteDialog = await shown(page.getByRole('dialog', { name: 'Write note' }));
    await noteDialog.getByLabel('Title (optional)').fill('Downtime ward round');
    await noteDialog.getByRole('textbox', { name: 'Note' }).fill(NOTE_TEXT);
    await noteDialog.getByRole('button', { name: 'Save note' }).click();
    await shown(chartRegion(page).getByText('Note saved on this workstation — pending upload.'));
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await unlockWithPin(page, nina.username, PIN);
    await shown(page.getByRole('heading', { level: 2, name: firstName }));

    // — The hub comes back (same data, same port) while the ward's link is still down; meanwhile
    // noor, at another workstation, annotates the same reading through the hub's FHIR API.
    stack.link!.setFaults({ drop: 1 });
    await stack.hub.start();
    const colleague = await hub.signedIn(noor.username, noor.password);
    const atHub = await colleague.read<Observation>('Observation', reading.id!);
    expect(atHub.meta?.versionId).toBe('1');
    const annotated = await colleague.update({ ...atHub, note: [{ text: 'Checked against the monitor by the night nurse' }] }, '1');
    expect(annotated.status).toBe(200);
    expect((await colleague.read<Observation>('Observation', reading.id!)).meta?.versionId).toBe('2');
    stack.link!.setFaults(null);

    // The upload of nina's correction meets noor's version: the banner points to the conflict.
    const toResolve = connectionBanner(page).getByRole('button', { name: '1 conflict to resolve' });
    await shown(toResolve, BANNER_MS);
    await saveScreenshot(page, TEST, 'conflict-banner');
    await toResolve.click();
    const card = await shown(page.getByRole('region', { name: new RegExp(`^Vital signs for ${escapeRegExp(firstName)}`) }));
    await shown(card.getByText('Checked against the monitor by the night nurse'));
    await shown(card.getByRole('cell', { name: new RegExp(`^${corrected}\\b`) }));
    await saveScreenshot(page, TEST, 'conflict-card');
    await card.getByRole('button', { name: 'Keep my version' }).click();
    await shown(page.getByText('There are no conflicts to settle.'));
    await expect
      .poll(async () => (await hub.read<Observation>('Observation', reading.id!)).meta?.versionId, { timeout: BANNER_MS })
      .toBe('3');
    const settled = await hub.read<Observation>('Observation', reading.id!);
    expect(settled).toMatchObject({ status: 'corrected', valueQuantity: { value: corrected } });

    // Everything of the downtime reached the hub, once.
    await expect.poll(async () => heartRatesOf(await documentedAtHub([secondId]), secondId, 127).length, { timeout: BANNER_MS }).toBe(1);
    await expect.poll(async () => dosesOf(await documentedAtHub([secondId]), 'shift-paracetamol-b').length, { timeout: BANNER_MS }).toBe(1);

    // — End of the shift, with the link down again: one more set of vital signs stays waiting.
    stack.link!.setFaults({ drop: 1 });
    await shown(connectionBanner(page).getByText(/Downtime — /), BANNER_MS);
    await backToCensus(page);
    await openChart(page, secondName);
    await recordVitals(page, 119, '37.2');
    await signOut(page);
    // paul's session is still locked on the workstation: he resumes it and signs out too.
    await resumeWithPassword(page, paul);
    await signOut(page);
    await shown(signInHeading(page));
    expectNoPageProblems(watched);
    await watched.context.close();
    watched = undefined;
    // Wardline is closed on the workstation (the app quits).
    await stack.host.close();

    // IT's wipe refuses: documentation and audit entries are waiting, and it says how many.
    const refused = await wardline(['wipe', '--data', stack.dataDir]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('1 documentation entry not delivered to the hub');
    expect(refused.stderr).toContain('0 unresolved conflicts');
    expect(refused.stderr).toMatch(/[1-9]\d* audit entr(y|ies) not sent to the hub/);
    const verified = await wardline(['audit', 'verify', '--data', stack.dataDir]);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);

    // The link is back: `wardline sync` delivers the last documentation and the audit trail.
    stack.link!.setFaults(null);
    const synced = await wardline(['sync', '--json', '--data', stack.dataDir]);
    expect(synced.stderr).toBe('');
    expect(synced.code).toBe(0);
    expect(JSON.parse(synced.stdout)).toMatchObject({ delivered: 1, outboxPending: 0, auditPending: 0 });

    // The hub holds each documented resource exactly once.
    const documented = await documentedAtHub([firstId, secondId, thirdId]);
    const perClientId = new Map<string, number>();
    for (const resource of documented) perClientId.set(clientIdOf(resource), (perClientId.get(clientIdOf(resource)) ?? 0) + 1);
    expect(
      [...perClientId.values()].filter((n) => n !== 1),
      'documentation held more than once',
    ).toEqual([]);
    expect(heartRatesOf(documented, firstId, 131)).toHaveLength(1);
    expect(heartRatesOf(documented, secondId, 127)).toHaveLength(1);
    expect(heartRatesOf(documented, secondId, 119)).toHaveLength(1);
    expect(dosesOf(documented, 'shift-paracetamol-a')).toHaveLength(1);
    expect(dosesOf(documented, 'shift-paracetamol-b')).toHaveLength(1);
    const notesHeld = documented.filter((r) => r.resourceType === 'DocumentReference');
    expect(notesHeld, "the physician's note").toHaveLength(1);
    expect((notesHeld[0] as DocumentReference).subject?.reference).toBe(`Patient/${thirdId}`);

    // The privacy officer's copy: the workstation's whole trail (exported by the CLI, which records
    // the export, then uploaded with a signed checkpoint) is at the hub exactly once, chain intact.
    const exported = await wardline(['audit', 'export', '--format', 'fhir', '--data', stack.dataDir]);
    expect(exported.code).toBe(0);
    const local = ((JSON.parse(exported.stdout) as Bundle).entry ?? []).map((e) => e.resource!);
    const uploaded = await wardline(['audit', 'upload', '--json', '--data', stack.dataDir]);
    expect(uploaded.stderr).toBe('');
    expect(uploaded.code).toBe(0);
    expect(JSON.parse(uploaded.stdout)).toMatchObject({ pending: 0, hubAcknowledged: local.length, checkpointMatches: true });
    const source = (local[0] as { source?: { observer?: { reference?: string } } }).source?.observer?.reference;
    expect(source).toMatch(/^Device\//);
    const officer = await hub.signedIn(adam.username, adam.password);
    // The workstation's chain (the hub's own records of sign-ins at its device carry no chain link).
    const held = (await officer.search<Resource>('AuditEvent', `source=${source!}&wardline-dedup=false&_count=500`)).filter(
      (e) => chainLinkOf(e).hash !== '',
    );
    expect(held.map((e) => e.id).sort(), 'audit events at the hub').toEqual(local.map((e) => e.id).sort());
    const links = held.map(chainLinkOf).sort((a, b) => a.sequence - b.sequence);
    expect(links.map((l) => l.sequence)).toEqual(links.map((_, i) => i + 1));
    let previous = GENESIS_PREVIOUS_HASH;
    for (const link of links) {
      expect(link.previousHash, `entry ${link.sequence} links to the one before`).toBe(previous);
      expect(createHash('sha256').update(previous, 'ascii').update(link.entry, 'utf8').digest('hex'), `entry ${link.sequence}`).toBe(
        link.hash,
      );
      previous = link.hash;
    }
    expect(links.at(-1)!.hash).toBe(chainLinkOf(local.at(-1)!).hash);
    const flagged = held.filter((e) => e.meta?.tag?.some((t) => t.system === CHAIN_FLAG_SYSTEM) === true);
    expect(flagged, 'events the hub flagged in the chain').toEqual([]);
    const actions = links.map((l) => (JSON.parse(l.entry) as { action: string }).action);
    expect(
      actions.filter((a) => a === 'create'),
      'three sets of vital signs, two doses, a note',
    ).toHaveLength(6);
    expect(
      actions.filter((a) => a === 'update'),
      'the correction and its settlement',
    ).toHaveLength(2);
    for (const action of ['sign-in', 'lock', 'unlock', 'user-switch', 'chart-read', 'sign-out', 'audit-export'])
      expect(actions, `the trail holds a ${action}`).toContain(action);

    // Nothing is pending any more: the wipe goes ahead.
    const status = JSON.parse((await wardline(['status', '--json', '--data', stack.dataDir])).stdout) as {
      audit: { pending: number; lastAcknowledgedUpload: string | null };
    };
    expect(status.audit.pending).toBe(0);
    expect(status.audit.lastAcknowledgedUpload).not.toBeNull();
    const wiped = await wardline(['wipe', '--data', stack.dataDir]);
    expect(wiped.stderr).toBe('');
    expect(wiped.code).toBe(0);
  }, 600_000);
});
