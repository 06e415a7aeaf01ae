// The privacy officer reads the workstation's audit trail: a nurse opens two charts and someone
// tries her username with a wrong password; the admin finds it all on the audit screen, newest
// first, with the username (or the one tried) and each patient's name and MRN (resolved when she looks, never stored),
// narrows it by MRN, by words of the name and by username, pages back, and exports what the filter
// selects: the host asks its save dialog (played by the test) for a file and writes it; the page
// downloads nothing. The export and every view are in the trail; the host's log holds no patient.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { SaveFileRequest } from '../../electron/host/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, mrnOf, nurseablePatient, patientIdentifiers } from './support/ward.js';
import { chartRegion, expectCensus, openChart, shown, signIn, signInHeading, submitSignIn } from './support/workstation-ui.js';

const TEST = 'audit-trail';
let stack: WardlineStack;
let browser: Browser;
let folder: string;
const asked: SaveFileRequest[] = [];

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'wardline-e2e-audit-'));
  stack = await startWardlineStack({
    patients: 6,
    days: 1,
    pollIntervalMs: 5_000,
    seed: 'e2e-audit-trail',
    hashing: 'fast',
    saveFile: {
      choose: async (request) => {
        asked.push(request);
        return path.join(folder, 'privacy-review.csv');
      },
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

describe("the privacy officer's audit view on the workstation", () => {
  it(
    'shows who opened which patient by username, name and MRN, newest first, filters by MRN, name and username, and exports through the host',
    { timeout: 180_000 },
    async () => {
      const watched = await watchedPage(browser);
      const { page } = watched;
      onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
      let downloads = 0;
      page.on('download', () => void (downloads += 1));
      const first = nurseablePatient(stack.ward, () => true);
      const second = nurseablePatient(stack.ward, (p) => p.patient.id !== first.patient.id);
      const [firstName, secondName] = [censusName(first.patient), censusName(second.patient)];

      // nina opens two charts, signs out; someone tries her username with a wrong password.
      await page.goto(stack.url);
      await signIn(page, stack.account('nina'));
      await expectCensus(page, stack.ward.patients.length);
      await openChart(page, firstName);
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await shown(signInHeading(page));
      await signIn(page, stack.account('nina'));
      await openChart(page, secondName);
      await shown(chartRegion(page));
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await shown(signInHeading(page));
      await submitSignIn(page, { username: 'NINA', password: 'not-her-password' });
      await shown(page.getByRole('alert'));
      await submitSignIn(page, { username: 'Ghost.User', password: 'not-a-password' });
      await shown(page.getByRole('alert'));

      // The admin reads the trail: newest first, usernames and patients named.
      await signIn(page, stack.account('adam'));
      await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Audit trail' }).click();
      await shown(page.getByRole('heading', { name: 'Audit trail' }));
      await page.getByRole('button', { name: 'Show entries' }).click();
      const table = await shown(page.getByRole('table', { name: 'Audit entries, newest first' }));
      const numbers = (await table.getByRole('rowheader').allInnerTexts()).map(Number);
      expect(numbers.length).toBeGreaterThan(3);
      expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
      const label = (p: typeof first): string => `${censusName(p.patient)} (MRN ${mrnOf(p.patient)})`;
      const reads = table.getByRole('row').filter({ has: page.getByRole('cell', { name: /^chart-read/ }) });
      await shown(reads.filter({ has: page.getByRole('cell', { name: label(second), exact: true }) }).first());
      await shown(reads.filter({ has: page.getByRole('cell', { name: 'nina', exact: true }) }).first());
      // The newer of nina's two chart openings is listed above the older one.
      const patientCells = await reads.filter({ has: page.getByRole('cell', { name: 'nina', exact: true }) }).allInnerTexts();
      const secondAt = patientCells.findIndex((row) => row.includes(label(second)));
      const firstAt = patientCells.findIndex((row) => row.includes(label(first)));
      expect(secondAt).toBeGreaterThanOrEqual(0);
      expect(firstAt).toBeGreaterThan(secondAt);
      // A username nobody here holds: the one tried, as typed (normalised).
      await shown(
        table
          .getByRole('row')
          .filter({ has: page.getByRole('cell', { name: 'ghost.user (tried)', exact: true }) })
          .first(),
      );
      await saveScreenshot(page, TEST, 'newest-first');
      await expectAccessible(page, 'audit-trail');

      // By MRN: only that patient's entries.
      await page.getByLabel('Patient MRN or name').fill(mrnOf(first.patient));
      await page.getByRole('button', { name: 'Show entries' }).click();
      const patientColumn = async (): Promise<string[]> => page.locator('table tbody tr td:nth-of-type(4)').allInnerTexts();
      await expect.poll(async () => new Set(await patientColumn())).toEqual(new Set([label(first)]));

      // By words of the name (another case), and by username.
      await page.getByLabel('Patient MRN or name').fill(second.patient.name![0]!.family!.toUpperCase());
      await page.getByRole('button', { name: 'Show entries' }).click();
      await expect.poll(async () => (await patientColumn()).includes(label(second))).toBe(true);
      await page.getByLabel('Patient MRN or name').fill('');
      await page.getByLabel('Username').fill('Nina');
      await page.getByRole('button', { name: 'Show entries' }).click();
      await expect
        .poll(async () => new Set(await page.locator('table tbody tr td:nth-of-type(2)').allInnerTexts()))
        .toEqual(new Set(['nina']));
      // Her failed sign-in is among them.
      await shown(
        page
          .locator('table tbody tr')
          .filter({ has: page.getByRole('cell', { name: /^sign-in-failed/ }) })
          .first(),
      );
      const shownRows = await page.locator('table tbody tr').count();

      // Export what the filter selects: the host writes the file the save dialog named.
      await page.getByRole('button', { name: 'Export' }).click();
      await shown(page.getByRole('status').filter({ hasText: `Exported ${shownRows} entries to privacy-review.csv.` }));
      expect(asked).toHaveLength(1);
      expect(asked[0]!.suggestedName).toMatch(/^wardline-audit-\d{8}T\d{6}Z\.csv$/);
      const [header, ...rows] = readFileSync(path.join(folder, 'privacy-review.csv'), 'utf8').trimEnd().split('\n');
      expect(header).toContain('username,usernameTried');
      expect(rows).toHaveLength(shownRows);
      expect(rows.some((row) => row.includes(mrnOf(first.patient)) && row.includes(',nina,'))).toBe(true);
      expect(downloads).toBe(0);
      await saveScreenshot(page, TEST, 'exported');
      await expectAccessible(page, 'audit-trail-exported');

      // The export is in the trail, attributed to the admin; the log names no patient.
      const adminId = stack.host.sessions.current().active!.userId;
      const exports = stack.host.audit.find({ user: adminId }).filter((e) => e.action === 'audit-export');
      expect(exports).toHaveLength(1);
      expect(exports[0]!.detail).toMatchObject({ by: 'view', format: 'csv' });
      const logs = stack.hostLogs();
      for (const term of patientIdentifiers(stack.ward)) expect(logs, 'the host log').not.toContain(term);

      expectNoPageProblems(watched);
      await watched.context.close();
    },
  );
});
