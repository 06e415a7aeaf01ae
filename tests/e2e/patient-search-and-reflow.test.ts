// Finding the right patient, and working at 200 % zoom (Debian's Chromium, the real host over
// loopback, the real hub over TLS). "bed 7", "7", "Bed 40", an MRN and a surname each open the
// intended chart with ↓ Enter; a property run checks that ↓ Enter always opens the first listed row
// and that an exact bed match is listed first. At 683×384 (a 1366×768 screen at 200 %) the census
// is not cut off on the right, the header and the patient banner leave the chart visible, and the
// opened chart's heading has the focus. Each census row and the chart banner say when the chart was
// last brought up to date, and how old that is.
import fc from 'fast-check';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { SyntheticPatient } from '../../shared/synthetic/index.js';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { expectNoPageProblems, launchChromium, watchedPage, type WatchedPage } from './support/browser.js';
import { saveScreenshot } from './support/screenshots.js';
import { censusName, isRestricted, mrnOf } from './support/ward.js';
import { expectCensus, shown, signIn } from './support/workstation-ui.js';

const TEST = 'patient-search-and-reflow';
let stack: WardlineStack;
let browser: Browser;
// One signed-in window for the whole file (a one-time address opens the app once).
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 42, days: 1, pollIntervalMs: 30_000, seed: 'e2e-search' });
  browser = await launchChromium();
  watched = await watchedPage(browser);
  page = watched.page;
  await page.goto(stack.url);
  await signIn(page, stack.account('nina'));
  await expectCensus(page, stack.ward.patients.length);
}, 300_000);

afterAll(async () => {
  await watched?.context.close();
  await browser?.close();
  await stack?.close();
});

const bedOf = (p: SyntheticPatient): number =>
  Number(
    /^Bed (\d+)$/.exec(p.encounter.location?.find((l) => l.location.display?.startsWith('Bed ') === true)?.location.display ?? '')?.[1],
  );
const inBed = (bed: number): SyntheticPatient => stack.ward.patients.find((p) => bedOf(p) === bed)!;
const openable = (): SyntheticPatient[] => stack.ward.patients.filter((p) => !isRestricted(p));

// Measured in the page (the suite's TypeScript has no DOM types, so these are page expressions).
/** Roles of the census parts whose right edge is past the window's. */
const CLIPPED_ON_THE_RIGHT = `(() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width + 1) out.push('page');
  for (const el of document.querySelectorAll('[role="grid"], [role="row"], [role="gridcell"], [role="columnheader"]')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) out.push(el.getAttribute('role') + ': ' + el.textContent.slice(0, 12));
  }
  return out;
})()`;
/** Horizontal overflow of the page, where the chart's tabs start, and the window's height. */
const CHART_LAYOUT = `(() => {
  const tabs = document.querySelector('[role="tablist"]');
  return {
    width: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    tabsTop: tabs === null ? 1e9 : tabs.getBoundingClientRect().top,
    height: window.innerHeight,
  };
})()`;
/** The share of the window's height that sticky or fixed parts cover at the top. */
const STICKY_SHARE = `(() => {
  let bottom = 0;
  for (const el of document.querySelectorAll('*')) {
    const position = getComputedStyle(el).position;
    if (position !== 'sticky' && position !== 'fixed') continue;
    const box = el.getBoundingClientRect();
    if (box.top <= 1 && box.height > 0 && box.height < window.innerHeight) bottom = Math.max(bottom, box.bottom);
  }
  return bottom / window.innerHeight;
})()`;

const searchBox = (p: Page) => p.getByRole('searchbox', { name: 'Find a patient' });
const firstRow = (p: Page) => p.getByRole('row').nth(1);
const chartHeading = (p: Page) => p.getByRole('heading', { level: 2 });

/** Types `query`, then ↓ Enter: returns the first listed row's text and the chart that opened. */
async function searchAndOpen(page: Page, query: string): Promise<{ listedFirst: string; opened: string }> {
  await searchBox(page).fill(query);
  const listedFirst = (await firstRow(page).getByRole('gridcell').nth(1).textContent()) ?? '';
  await searchBox(page).press('ArrowDown');
  await page.keyboard.press('Enter');
  const opened = (await shown(chartHeading(page)).then((h) => h.textContent())) ?? '';
  return { listedFirst, opened };
}

async function backToCensus(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Back to census' }).click();
  await shown(page.getByRole('heading', { name: 'Ward census' }));
}

describe('patient search', () => {
  it('opens the intended patient for "bed 7", "7", "Bed 40", an MRN and a surname, each row saying why it matched', async () => {
    onTestFailed(() => saveScreenshot(page, TEST, 'search-failure').then(() => undefined));

    const byMrn = openable().find((p) => bedOf(p) > 20)!;
    const surnames = openable().map((p) => p.patient.name?.[0]?.family ?? '');
    const bySurname = openable().find((p) => surnames.filter((s) => s === p.patient.name?.[0]?.family).length === 1)!;
    const cases: Array<[string, SyntheticPatient, RegExp]> = [
      ['bed 7', inBed(7), /matched exact bed/],
      ['7', inBed(7), /matched exact bed/],
      ['Bed 40', inBed(40), /matched exact bed/],
      [mrnOf(byMrn.patient), byMrn, /matched exact MRN/],
      [bySurname.patient.name![0]!.family!, bySurname, /matched name/],
    ];
    for (const [query, patient] of cases) expect(isRestricted(patient), `${query} opens a chart a nurse may read`).toBe(false);
    for (const [query, patient, reason] of cases) {
      const { listedFirst, opened } = await searchAndOpen(page, query);
      expect(listedFirst, query).toMatch(reason);
      expect(listedFirst, query).toContain(mrnOf(patient.patient));
      expect(opened, query).toBe(censusName(patient.patient));
      await backToCensus(page);
    }
    await searchBox(page).fill('bed 7');
    await saveScreenshot(page, TEST, 'search-bed-7');
    expectNoPageProblems(watched);
  });

  it('property: ↓ Enter always opens the first listed row, and an exact bed is listed first', async () => {
    onTestFailed(() => saveScreenshot(page, TEST, 'property-failure').then(() => undefined));
    const patients = openable();
    const query = fc.oneof(
      fc
        .constantFrom(...patients)
        .chain((p) => fc.constantFrom(`bed ${bedOf(p)}`, String(bedOf(p)), `Bed ${bedOf(p)}`).map((q) => ({ q, bed: bedOf(p) }))),
      fc.constantFrom(...patients).map((p) => ({ q: mrnOf(p.patient), bed: null })),
      fc.constantFrom(...patients).map((p) => ({ q: (p.patient.name?.[0]?.family ?? '').slice(0, 3), bed: null })),
    );
    await fc.assert(
      fc.asyncProperty(query, async ({ q, bed }) => {
        const { listedFirst, opened } = await searchAndOpen(page, q);
        if (bed !== null) expect(listedFirst, q).toContain(mrnOf(inBed(bed).patient));
        if (opened === 'Emergency access needed') {
          // A restricted chart asks for emergency access instead of opening: the row listed first must be that restricted patient.
          const listed = stack.ward.patients.find((p) => listedFirst.includes(mrnOf(p.patient)));
          expect(listed !== undefined && isRestricted(listed), q).toBe(true);
        } else {
          expect(listedFirst.startsWith(`${opened},`) || listedFirst.startsWith(opened), q).toBe(true);
        }
        await backToCensus(page);
      }),
      { numRuns: 8, seed: 20261206 },
    );
    expectNoPageProblems(watched);
  });
});

describe("each patient's data as of", () => {
  it('shows when each chart was last brought up to date, and how old that is, in the census and the chart banner', async () => {
    const patient = openable()[0]!;
    await shown(page.getByRole('columnheader', { name: 'Data as of' }));
    await searchBox(page).fill(mrnOf(patient.patient));
    const cell = firstRow(page).getByRole('gridcell').nth(8);
    await shown(cell);
    // Just synced, within the policy's amber threshold: the time with its words, not colour alone.
    expect(await cell.textContent()).toMatch(/\d{2}:\d{2}.*Up to date/);
    await searchBox(page).press('ArrowDown');
    await page.keyboard.press('Enter');
    const banner = page.getByRole('region', { name: censusName(patient.patient) });
    await shown(banner.getByText(/^\d{2}:\d{2} — Up to date$/));
    await backToCensus(page);
    await searchBox(page).fill('');
  });
});

describe('200 % zoom (683×384)', () => {
  it('keeps the census whole and the chart visible under the header and banner, with the focus on the chart heading', async () => {
    onTestFailed(() => saveScreenshot(page, TEST, 'zoom-failure').then(() => undefined));
    // A 1366×768 laptop screen at 200 % zoom.
    await page.setViewportSize({ width: 683, height: 384 });
    await searchBox(page).fill('');
    await shown(page.getByRole('heading', { name: 'Ward census' }));
    await shown(firstRow(page));
    await saveScreenshot(page, TEST, 'zoom-census');
    const clipped = await page.evaluate<string[]>(CLIPPED_ON_THE_RIGHT);
    expect(clipped, 'census elements past the right edge').toEqual([]);

    const patient = openable()[0]!;
    await searchBox(page).fill(mrnOf(patient.patient));
    await searchBox(page).press('ArrowDown');
    await page.keyboard.press('Enter');
    await shown(chartHeading(page));
    await expect.poll(() => page.evaluate<string>('document.activeElement?.id ?? ""')).toBe('chart-patient-name');
    await saveScreenshot(page, TEST, 'zoom-chart');
    const layout = await page.evaluate<{ width: number; tabsTop: number; height: number }>(CHART_LAYOUT);
    // The header and the banner scroll with the chart: the tabs are reached by scrolling down, not hidden behind them.
    expect(layout.tabsTop).toBeLessThan(1e9);
    expect(layout.width, 'horizontal scrolling').toBeLessThanOrEqual(1);
    // Scrolled down, the sticky parts leave most of the screen to the chart.
    await page.mouse.wheel(0, 2_000);
    const covered = await page.evaluate<number>(STICKY_SHARE);
    await saveScreenshot(page, TEST, 'zoom-chart-scrolled');
    expect(covered, 'share of the screen under sticky header and banner').toBeLessThan(0.35);
    expectNoPageProblems(watched);
  });
});
