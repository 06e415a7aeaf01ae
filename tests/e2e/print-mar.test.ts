// Printing for downtime: a nurse prints a patient's MAR from the chart; the page shows the PDF from
// memory (evaluation mode: no download, no file), whose every page carries "Printed by … at … — data as of …", and the
// print is in the audit trail, where the admin finds it through the audit view. The read-only policy
// view says printing is allowed.
import { formatDateTime } from '../../shared/display/index.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { readPdf, PRINTED_TIME_PATTERN, printedTimeOrder } from '../../electron/print/test-helpers.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { nextPrintedMar } from './support/printed-mar.js';
import { ARTIFACTS_DIR, saveScreenshot } from './support/screenshots.js';
import { activeOrdersOf, censusName, mrnOf, nurseablePatient } from './support/ward.js';
import { chartRegion, expectCensus, openChart, shown, signIn, signInHeading } from './support/workstation-ui.js';

const TEST = 'print-mar';
let stack: WardlineStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 8, days: 2, pollIntervalMs: 5_000, seed: 'e2e-print' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A time as every screen and print shows it (shared/display), in this machine's zone (the host's). */
function minute(ms: number): string {
  return formatDateTime(ms);
}

const MARK = new RegExp(`^Printed by nina at (${PRINTED_TIME_PATTERN}) — data as of (${PRINTED_TIME_PATTERN})$`);

describe('printing the MAR', () => {
  it('gives the nurse a PDF marked on every page with who printed it and how old the data is, and the admin finds the print in the audit trail', async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const patient = nurseablePatient(stack.ward, (p) => activeOrdersOf(p).length > 0);
    const patientId = patient.patient.id!;
    const name = censusName(patient.patient);
    const medication = activeOrdersOf(patient)[0]!.medicationCodeableConcept!.text!;

    let downloads = 0;
    page.on('download', () => void (downloads += 1));
    const printed = nextPrintedMar(page);
    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);
    await openChart(page, name);
    const userId = stack.host.sessions.current().active!.userId;
    const printsBefore = stack.host.audit.find({ patient: patientId }).filter((e) => e.action === 'print').length;

    const startedAt = Date.now();
    await chartRegion(page).getByRole('button', { name: 'Print MAR' }).click();
    const bytes = await printed;
    const finishedAt = Date.now();
    await shown(chartRegion(page).getByText(/^MAR ready \(\d+ pages?, 1 patient\), shown below from memory/));
    await shown(page.getByTitle('Downtime MAR (PDF)'));
    writeFileSync(path.join(ARTIFACTS_DIR, `${TEST}-mar.pdf`), bytes);
    await saveScreenshot(page, TEST, 'chart-printed');

    await page.getByRole('button', { name: 'Close' }).click();
    expect(downloads).toBe(0);
    const pdf = await readPdf(bytes);
    expect(pdf.pages.length).toBeGreaterThan(0);
    pdf.pages.forEach((lines, index) => {
      const mark = lines.map((line) => MARK.exec(line)).find((m) => m !== null);
      expect(mark, `the mark on page ${index + 1}`).toBeDefined();
      // Printed while the print ran: at its first or last minute, or any minute between (a slow print).
      const printedAt = printedTimeOrder(mark![1]!);
      expect(printedAt >= printedTimeOrder(minute(startedAt)) && printedAt <= printedTimeOrder(minute(finishedAt)), mark![1]).toBe(true);
      expect(printedTimeOrder(mark![2]!) <= printedTimeOrder(mark![1]!), 'data as of is not after the print').toBe(true);
    });
    const text = pdf.pages.flat().join('\n');
    expect(text).toContain(name);
    expect(text).toContain(medication);

    // The print is in the audit trail, once, attributed to nina.
    const prints = stack.host.audit.find({ patient: patientId }).filter((e) => e.action === 'print');
    expect(prints).toHaveLength(printsBefore + 1);
    expect(prints.at(-1)).toMatchObject({ user: userId, patient: patientId });

    // The admin finds it through the audit view.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await shown(signInHeading(page));
    await signIn(page, stack.account('adam'));
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Audit trail' }).click();
    await shown(page.getByRole('heading', { name: 'Audit trail' }));
    await page.getByLabel('Patient MRN or name').fill(mrnOf(patient.patient));
    await page.getByRole('button', { name: 'Show entries' }).click();
    const entries = await shown(page.getByRole('table', { name: 'Audit entries, newest first' }));
    const printRows = entries.getByRole('row').filter({ has: page.getByRole('cell', { name: /^print\b/ }) });
    await expect.poll(() => printRows.count()).toBe(printsBefore + 1);
    await shown(printRows.first().getByRole('cell', { name: 'nina', exact: true }));
    await shown(printRows.first().getByRole('cell', { name: `${name} (MRN ${mrnOf(patient.patient)})`, exact: true }));
    await saveScreenshot(page, TEST, 'audit-view');
    await expectAccessible(page, 'audit');

    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Policy' }).click();
    await shown(page.getByRole('heading', { name: 'Policy in force' }));
    await shown(page.getByRole('definition').filter({ hasText: /^Allowed$/ }));
    await saveScreenshot(page, TEST, 'policy-view');
    await expectAccessible(page, 'policy');

    expectNoPageProblems(watched);
    await watched.context.close();
  });
});
