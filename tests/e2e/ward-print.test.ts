// Printing the whole ward's MAR for downtime from the census: the nurse gets one PDF with a section
// per census patient (a restricted chart's section says why its MAR was withheld), every page marked
// "Printed by … at … — data as of …", shown in the page from memory (evaluation mode): nothing is
// downloaded, and no file under the download folder or the temp folder holds a patient's name or a
// PDF afterwards (issue 16). On a workstation whose machine policy turns printing off, the button
// says so in plain words and nothing is printed.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { readPdf, PRINTED_TIME_PATTERN, printedTimeOrder } from '../../electron/print/test-helpers.js';
import { startWardlineStack, type WardlineStack, type WardlineStackOptions } from '../support/e2e-harness.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { downloadAndTempFolders, filesHoldingPatientData, filesWrittenSince, usePrivateTempFolder } from './support/left-behind.js';
import { nextPrintedMar } from './support/printed-mar.js';
import { ARTIFACTS_DIR, saveScreenshot } from './support/screenshots.js';
import { censusName, isRestricted, mrnOf } from './support/ward.js';
import { censusHeading, expectCensus, shown, signIn } from './support/workstation-ui.js';

const TEST = 'ward-print';
// Three patients, the first of them restricted (one chart in ten is; this seed puts one here).
const OPTIONS: WardlineStackOptions = { patients: 3, days: 1, pollIntervalMs: 5_000, hashing: 'fast', seed: 'e2e-btg-7' };
let printing: WardlineStack;
let noPrinting: WardlineStack;
let browser: Browser;
let sharedTempFolder: (() => void) | undefined;

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
  // From here on, this process and its browser write temporary files where the scan looks.
  sharedTempFolder = usePrivateTempFolder();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  sharedTempFolder?.();
  await printing?.close();
  await noPrinting?.close();
});

const MARK = new RegExp(`^Printed by nina at (${PRINTED_TIME_PATTERN}) — data as of (${PRINTED_TIME_PATTERN})$`);

describe('printing the ward MAR from the census', () => {
  it('shows one PDF from memory with a section for every census patient, each page marked with who printed it and how old the data is, leaving no file behind', async () => {
    const stack = printing;
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'print-failure').then(() => undefined));
    const patients = stack.ward.patients;
    let downloads = 0;
    page.on('download', () => void (downloads += 1));
    const printed = nextPrintedMar(page);

    await page.goto(stack.url);
    await signIn(page, stack.account('nina'));
    await expectCensus(page, patients.length);
    // Whole seconds: some file systems keep modification times to the second.
    const printedFrom = Math.floor(Date.now() / 1000) * 1000;
    await page.getByRole('button', { name: 'Print ward MAR', exact: true }).click();
    const bytes = await printed;
    await shown(
      page.getByText(
        new RegExp(
          `^MAR ready \\(\\d+ pages?, ${patients.length} patients\\), shown below from memory: print it from the viewer\\. Nothing was saved on this computer\\.$`,
        ),
      ),
    );
    const preview = await shown(page.getByTitle('Downtime MAR (PDF)'));
    expect(await preview.getAttribute('src')).toMatch(/^blob:http:\/\/127\.0\.0\.1:\d+\//);
    await saveScreenshot(page, TEST, 'census-printed');
    writeFileSync(path.join(ARTIFACTS_DIR, `${TEST}-ward-mar.pdf`), bytes);

    // Nothing left behind: no download, and no file under the download or temp folder written
    // since the print holds a patient's name or is a PDF. (The copy above is under test-artifacts/.)
    await page.getByRole('button', { name: 'Close' }).click();
    expect(downloads).toBe(0);
    // Each name as the census writes it ("Family, Given") and as it reads in prose ("Given Family").
    const names = patients.flatMap((p) => {
      const [family, given] = censusName(p.patient).split(', ');
      return [censusName(p.patient), `${given} ${family}`];
    });
    const written = filesWrittenSince(downloadAndTempFolders(), printedFrom);
    expect(filesHoldingPatientData(written, names)).toEqual([]);

    const pdf = await readPdf(bytes);
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

  it('says printing is turned off by IT policy, and prints nothing, where the machine policy forbids printing', async () => {
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
