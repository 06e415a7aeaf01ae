// Printing the whole ward's MAR for downtime from the census: the nurse gets one PDF with a section
// per census patient (a restricted chart's section says why its MAR was withheld), every page marked
// "Printed by … at … — data as of …"; on a workstation whose machine policy turns printing off, the
// button says so in plain words and nothing is downloaded.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { readPdf, PRINTED_TIME_PATTERN, printedTimeOrder } from '../../electron/print/test-helpers.js';
import { startWardlineStack, type WardlineStack, type WardlineStackOptions } from '../support/e2e-harness.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { ARTIFACTS_DIR, saveScreenshot } from './support/screenshots.js';
import { censusName, isRestricted, mrnOf } from './support/ward.js';
import { censusHeading, expectCensus, shown, signIn } from './support/workstation-ui.js';

const TEST = 'ward-print';
// Three patients, the first of them restricted (one chart in ten is; this seed puts one here).
const OPTIONS: WardlineStackOptions = { patients: 3, days: 1, pollIntervalMs: 5_000, hashing: 'fast', seed: 'e2e-btg-7' };
let printing: WardlineStack;
let noPrinting: WardlineStack;
let browser: Browser;

beforeAll(async () => {
  // Two workstations, started side by side: one may print, one's policy turns printing off.
  const [allowed, forbidden] = await Promise.allSettled([
    startWardlineStack(OPTIONS),
    startWardlineStack({ ...OPTIONS, policySections: { printing: { allowed: false } } }),
  ]);
  if (allowed.status === 'fulfilled') printing = allowed.value;
  if (forbidden.status === 'fulfilled') noPrinting = forbidden.value;
  if (allowed.status === 'rejected') throw allowed.reason;
  if (forbidden.status === 'rejected') throw forbidden.reason;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await printing?.close();
  await noPrinting?.close();
});

const MARK = new RegExp(`^Printed by nina at (${PRINTED_TIME_PATTERN}) — data as of (${PRINTED_TIME_PATTERN})$`);

describe('printing the ward MAR from the census', () => {
  it('downloads one PDF with a section for every census patient, each page marked with who printed it and how old the data is', async () => {
    const stack = printing;
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'print-failure').then(() => undefined));
    const patients = stack.ward.patients;

    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await expectCensus(page, patients.length);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Print ward MAR', exact: true }).click(),
    ]);
    const fileName = download.suggestedFilename();
    expect(fileName).toMatch(/^wardline-mar-\d{8}T\d{6}Z\.pdf$/);
    const saved = path.join(ARTIFACTS_DIR, `${TEST}-${fileName}`);
    await download.saveAs(saved);
    await shown(
      page.getByText(
        new RegExp(`^MAR PDF ready \\(\\d+ pages?, ${patients.length} patients\\), saved as ${fileName.replace('.', '\\.')}\\.$`),
      ),
    );
    await saveScreenshot(page, TEST, 'census-printed');

    const pdf = await readPdf(readFileSync(saved));
    expect(pdf.pages.length).toBeGreaterThanOrEqual(patients.length);
    pdf.pages.forEach((lines, index) => {
      const mark = lines.map((line) => MARK.exec(line)).find((m) => m !== null);
      expect(mark, `the mark on page ${index + 1}`).toBeDefined();
      expect(printedTimeOrder(mark![2]!) <= printedTimeOrder(mark![1]!), 'data as of is not after the print').toBe(true);
    });

    // One section per census patient: their name set alone as the section's title once, and their
    // identity line heading each of their pages.
    const titles = pdf.pages.flat().filter((line) => patients.some((p) => censusName(p.patient) === line));
    expect(titles.sort()).toEqual(patients.map((p) => censusName(p.patient)).sort());
    for (const patient of patients) {
      const header = `${censusName(patient.patient)} — MRN ${mrnOf(patient.patient)} — `;
      const theirs = pdf.pages.filter((lines) => lines.some((line) => line.startsWith(header)));
      expect(theirs.length, `pages headed by patient ${patient.patient.id}`).toBeGreaterThan(0);
      const text = theirs.flat().join('\n');
      if (isRestricted(patient)) expect(text).toMatch(/MAR NOT PRINTED: this chart is restricted/);
      else expect(text).not.toContain('MAR NOT PRINTED');
    }
    expect(patients.some(isRestricted), 'the seed puts a restricted chart on the ward').toBe(true);

    expectNoPageProblems(watched);
    await watched.context.close();
  });

  it('says printing is turned off by IT policy, and downloads nothing, where the machine policy forbids printing', async () => {
    const stack = noPrinting;
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'disabled-failure').then(() => undefined));
    let downloads = 0;
    page.on('download', () => void (downloads += 1));

    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await expectCensus(page, stack.ward.patients.length);
    await page.getByRole('button', { name: 'Print ward MAR', exact: true }).click();
    await shown(censusHeading(page));
    await shown(page.getByRole('alert').filter({ hasText: /^Printing is turned off on this workstation by IT policy\.$/ }));
    await saveScreenshot(page, TEST, 'printing-off');
    // The refusal is the host's answer; a PDF would have been handed over before it.
    expect(downloads).toBe(0);
    const prints = stack.host.audit.find({ limit: 1000 }).filter((e) => e.action === 'print');
    expect(prints).toHaveLength(1);
    expect(prints[0]).toMatchObject({ outcome: 'minor-failure', patient: null });

    expectNoPageProblems(watched);
    await watched.context.close();
  });
});
