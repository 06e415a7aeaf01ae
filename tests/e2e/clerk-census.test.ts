// A ward clerk's census in Chromium against the real host and hub: the role table gives a clerk the
// census and demographics and no clinical category. A patient with an alert, an allergy and a
// complete round of vital signs (NEWS2 10, High) is on the ward. The nurse's census shows the alert,
// the allergy and the NEWS2; the clerk's shows the same patient by bed, name, age and sex and data as
// of, with no alerts, allergies, vitals or NEWS2 column, and none of those words on screen or in
// anything the host sent the page (the IPC WebSocket's frames): the host leaves them out, the
// renderer does not merely hide them. Her chart shows the patient and the admission, without the
// reason (a diagnosis), the allergies or the alerts.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { vitalSignObservations } from '../../electron/documentation/test-helpers.js';
import type { AllergyIntolerance, Encounter, Flag, Patient } from '../../shared/fhir/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusHeading, censusRow, chartRegion, openChart, shown, signIn, signInHeading } from './support/workstation-ui.js';

const TEST = 'clerk-census';
const NAME = 'Clerkcheck, Bea';
const ALERT = 'Absconding risk — escort off the ward';
const ALLERGY = 'Penicillin';
const REASON = 'Community-acquired pneumonia';
let stack: WardlineStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 2, days: 1, pollIntervalMs: 3_000, seed: 'e2e-clerk-census' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Every text frame the host sent the page over the IPC WebSocket (what reached the renderer). */
function framesReceived(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (socket) => {
    socket.on('framereceived', (frame) => {
      if (typeof frame.payload === 'string') frames.push(frame.payload);
    });
  });
  return frames;
}

async function feedPatient(): Promise<void> {
  const patientId = `e2e-clerk-${randomUUID().slice(0, 8)}`;
  const encounterId = `${patientId}-stay`;
  const patient: Patient = {
    resourceType: 'Patient',
    id: patientId,
    identifier: [{ system: 'urn:wardline:mrn', value: 'MRN7700202' }],
    name: [{ use: 'official', family: 'Clerkcheck', given: ['Bea'] }],
    gender: 'female',
    birthDate: '1951-03-14',
  };
  const stay: Encounter = {
    resourceType: 'Encounter',
    id: encounterId,
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
    subject: { reference: `Patient/${patientId}` },
    period: { start: new Date(Date.now() - 2 * 86_400_000).toISOString() },
    reasonCode: [{ text: REASON }],
    location: [{ location: { reference: `Location/${stack.ward.location.id!}` } }],
  };
  const flag: Flag = {
    resourceType: 'Flag',
    id: `${patientId}-flag`,
    status: 'active',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'safety' }] }],
    code: { text: ALERT },
    subject: { reference: `Patient/${patientId}` },
  };
  const allergy: AllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    id: `${patientId}-allergy`,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }],
    },
    code: { text: ALLERGY },
    criticality: 'high',
    patient: { reference: `Patient/${patientId}` },
  };
  const nurse = stack.ward.practitioners[0]!;
  const round = vitalSignObservations(
    {
      patientId,
      encounterId,
      author: { reference: `Practitioner/${nurse.id!}` },
      now: new Date(Date.now() - 3_600_000).toISOString(),
      newId: randomUUID,
    },
    // RR 25: 3, SpO2 93: 2, air: 0, systolic 105: 1, pulse 115: 2, alert: 0, 39.5 °C: 2 = 10, High.
    {
      respiratoryRate: 25,
      oxygenSaturation: 93,
      onOxygen: false,
      systolic: 105,
      diastolic: 62,
      heartRate: 115,
      consciousness: 'alert',
      temperatureCelsius: 39.5,
    },
  );
  await feedResources(stack.hub.db, [patient, stay, flag, allergy, ...round]);
  await stack.host.sync!.syncOnce();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await shown(signInHeading(page));
}

const headers = (page: Page): Promise<string[]> =>
  page.getByRole('grid', { name: 'Ward census' }).getByRole('columnheader').allInnerTexts();

describe("a clerk's census", () => {
  it("shows a nurse the patient's alert, allergy and NEWS2, and a clerk none of them, nor does the host send them to her page", async () => {
    await feedPatient();
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const frames = framesReceived(page);
    await page.goto(stack.url);

    // The nurse: the alert, the allergy and the NEWS2 on the patient's row.
    await signIn(page, stack.account('nina'));
    const nurseRow = await shown(censusRow(page, NAME));
    await expect.poll(() => nurseRow.innerText()).toContain(ALERT);
    const nurseText = await nurseRow.innerText();
    expect(nurseText).toContain('Allergies');
    expect(nurseText).toMatch(/NEWS2\s+10\s+High/);
    expect(await headers(page)).toEqual(expect.arrayContaining(['Alerts', 'Allergies', 'Last vitals', 'NEWS2']));
    expect(frames.some((frame) => frame.includes(ALERT))).toBe(true);
    await signOut(page);

    // The clerk: the same patient, by bed, name, age and sex and data as of; nothing clinical.
    frames.length = 0;
    await signIn(page, stack.account('carla'));
    await shown(censusHeading(page));
    const clerkRow = await shown(censusRow(page, NAME));
    expect(await headers(page)).toEqual(['Bed', 'Patient', 'Age and sex', 'Data as of']);
    const clerkText = await clerkRow.innerText();
    expect(clerkText).toContain('MRN7700202');
    for (const word of [ALERT, 'Allergies', 'allergies', 'NEWS2', 'High', 'None']) expect(clerkText).not.toContain(word);
    const screen = await page.locator('body').innerText();
    for (const word of [ALERT, ALLERGY, 'NEWS2', 'Alerts', 'Allergies', 'Last vitals']) expect(screen).not.toContain(word);
    await saveScreenshot(page, TEST, 'clerk-census');

    // Her chart: the patient and the admission; no allergies, alerts, code status or reason.
    await openChart(page, NAME);
    const chart = await shown(chartRegion(page));
    await shown(chart.getByRole('heading', { name: 'Admission' }));
    const chartText = await chart.innerText();
    for (const word of [ALERT, ALLERGY, REASON, 'Allergies', 'Code status', 'NEWS2']) expect(chartText).not.toContain(word);
    await saveScreenshot(page, TEST, 'clerk-chart');

    // What reached her page: the census and the chart, without any of it.
    const received = frames.join('\n');
    expect(received).toContain('MRN7700202');
    for (const word of [ALERT, ALLERGY, REASON, '"news2"', '"hasAllergies"', '"alerts"', '"lastVitalsAt"']) {
      expect(received, word).not.toContain(word);
    }

    expectNoPageProblems(watched);
    await watched.context.close();
  }, 180_000);
});
