// Renderer benchmark: the workstation UI in Debian's Chromium against the real host (loopback
// transport) and the real hub, timed with the renderer's performance marks.
//   renderer.census_shown_after_sign_in_ms (p50, p95): the host has signed the nurse in
//     ('wardline:signed-in') → the census of 40 patients is on screen ('wardline:census-shown').
//     Goal ≤ 300 ms. ..._after_submit_ms: from the form's submit, so with the host's sign-in (hub
//     login over TLS, argon2id at the production cost) — shown for comparison.
//   renderer.chart_5y_interactive_ms (p50, p95): a click on the census row of a patient with 5 years
//     of history (~135,000 resources) → banner and first tab with data ('wardline:chart-interactive').
//     Goal ≤ 300 ms. Baseline in the same run: a 3-day patient.
//   renderer.lock_shown_after_shortcut_ms (p50, p95): Ctrl+Shift+L pressed → the chart is off the
//     screen: the purge's cover painted ('wardline:window-covered', the page's DOM already emptied).
//     Goal ≤ 100 ms. ..._after_idle_ms: the host's idle lock (SessionManager.lock('idle'), what the
//     idle deadline calls, so the bench need not wait the timeout out) → the same;
//     ..._after_os_lock_ms: the OS screen lock (the host's power event) → the same.
//   renderer.lock_ready_after_{shortcut,idle,os_lock}_ms (p50, p95): the same triggers → the lock
//     screen with its PIN field drawn after the purge reload ('wardline:lock-shown'), the JS heap of
//     the chart's document gone.
//   scripts/with-keyring.sh npx tsx bench/renderer.bench.ts [--json] [--locks-only]
//     [--renderer-dir=<a renderer build>]
//     (--locks-only: no census or chart figures, no 5-year patient; for quick runs on the lock path.
//     --renderer-dir: serve another build, e.g. an earlier commit's, to compare in the same
//     conditions.)
import type { Browser, Page } from 'playwright-core';
import { startWardlineStack, type WardlineStack } from '../tests/support/e2e-harness.js';
import { launchChromium } from '../tests/e2e/support/browser.js';
import { censusName } from '../tests/e2e/support/ward.js';
import {
  censusRow,
  lockHeading,
  setPin,
  shown,
  signInHeading,
  submitSignIn,
  unlockWithPin,
  type Credentials,
} from '../tests/e2e/support/workstation-ui.js';
import { admitFiveYearPatient } from './lib/five-year-patient.js';
import { BENCH_MARKS_SCRIPT, between, LOCK_PRESSED_KEY, WINDOW_COVERED_KEY, lastMarkEpoch, waitForMark } from './lib/page-marks.js';
import { isJson, percentile, report } from './lib/report.js';

const WARD_PATIENTS = 40;
const CENSUS_RUNS = 10;
const CHART_RUNS = 10;
const LOCK_RUNS = 10;
const IDLE_LOCK_RUNS = 10;
const OS_LOCK_RUNS = 10;
const PIN = '8642';
const locksOnly = process.argv.includes('--locks-only');
const rendererDir = process.argv.find((arg) => arg.startsWith('--renderer-dir='))?.slice('--renderer-dir='.length);

function log(line: string): void {
  if (!isJson) process.stderr.write(`${line}\n`);
}

async function benchPage(browser: Browser, stack: WardlineStack): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  await context.addInitScript({ content: BENCH_MARKS_SCRIPT });
  const page = await context.newPage();
  await page.goto(stack.issueUrl());
  await shown(signInHeading(page));
  // While a nurse types, the signed-in frame's code is fetched in the background; wait for it.
  await page.waitForFunction(
    () => performance.getEntriesByType('resource').some((entry) => /\/assets\/frame-[^/]+\.js$/.test(entry.name)),
    undefined,
    { timeout: 30_000 },
  );
  return page;
}

async function signedIn(page: Page, who: Credentials): Promise<void> {
  await submitSignIn(page, who);
  await waitForMark(page, 'wardline:census-shown');
  // The ward plus the 5-year patient (not admitted with --locks-only).
  const patients = locksOnly ? WARD_PATIENTS - 1 : WARD_PATIENTS;
  await shown(page.getByText(`${patients} patients`, { exact: true }));
}

async function censusAfterSignIn(
  browser: Browser,
  stack: WardlineStack,
  nina: Credentials,
): Promise<{ afterSignIn: number[]; afterSubmit: number[] }> {
  const afterSignIn: number[] = [];
  const afterSubmit: number[] = [];
  log(`census after sign-in × ${CENSUS_RUNS}…`);
  for (let run = 0; run < CENSUS_RUNS; run += 1) {
    const page = await benchPage(browser, stack);
    await signedIn(page, nina);
    afterSignIn.push(await between(page, 'wardline:signed-in', 'wardline:census-shown'));
    afterSubmit.push(await between(page, 'bench:submit', 'wardline:census-shown'));
    // Signed out (the window then purges and reloads) before the next nurse's turn.
    await page.evaluate(
      () => void (globalThis as unknown as { wardline: { session: { signOut(): Promise<unknown> } } }).wardline.session.signOut(),
    );
    await shown(signInHeading(page));
    await page.context().close();
  }
  return { afterSignIn, afterSubmit };
}

/** Opens a chart from the census `runs` times; ms from the row click to 'wardline:chart-interactive'. */
async function chartOpenings(page: Page, name: string, runs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const before = await page.evaluate(() => performance.getEntriesByName('wardline:chart-interactive', 'mark').length);
    await censusRow(page, name).click();
    await waitForMark(page, 'wardline:chart-interactive', before + 1);
    samples.push(await between(page, 'bench:row-click', 'wardline:chart-interactive'));
    await shown(page.getByRole('heading', { level: 2, name }));
    await page.getByRole('button', { name: 'Back to census' }).click();
    await shown(censusRow(page, name));
  }
  return samples;
}

interface LockSamples {
  /** Trigger → the cover painted, the chart off the screen (ms). */
  readonly shown: number[];
  /** Trigger → the lock screen's mark after the reload (ms). */
  readonly ready: number[];
  /** Of which: the reloaded document's start → the mark (loading the page, reconnecting, session:state, drawing). */
  readonly inNewDocument: number[];
}

const sessionItem = (page: Page, key: string): Promise<string | null> =>
  page.evaluate((k) => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem(k), key);

/** Locks `runs` times with `trigger` (which returns its epoch ms); see LockSamples. */
async function lockings(page: Page, who: Credentials, runs: number, trigger: () => Promise<number>): Promise<LockSamples> {
  const shownSamples: number[] = [];
  const ready: number[] = [];
  const inNewDocument: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    await shown(page.getByRole('button', { name: 'Lock', exact: true }));
    await page.evaluate(
      (key) => (globalThis as unknown as { sessionStorage: { removeItem(k: string): void } }).sessionStorage.removeItem(key),
      WINDOW_COVERED_KEY,
    );
    const triggeredAt = await trigger();
    await shown(lockHeading(page));
    await waitForMark(page, 'wardline:lock-shown');
    const readyAt = await lastMarkEpoch(page, 'wardline:lock-shown');
    if (readyAt === null) throw new Error('the lock screen set no mark');
    // Without the cover's mark (a build without it, or a cover the page never painted) the chart
    // counts as shown until the lock screen is drawn.
    const coveredAt = await sessionItem(page, WINDOW_COVERED_KEY);
    shownSamples.push((coveredAt === null ? readyAt : Number(coveredAt)) - triggeredAt);
    ready.push(readyAt - triggeredAt);
    inNewDocument.push(readyAt - (await page.evaluate(() => performance.timeOrigin)));
    await unlockWithPin(page, who.username, PIN);
  }
  return { shown: shownSamples, ready, inNewDocument };
}

function reportLocks(trigger: string, samples: LockSamples): void {
  report(`renderer.lock_shown_after_${trigger}_ms.p50`, percentile(samples.shown, 50), 'ms');
  report(`renderer.lock_shown_after_${trigger}_ms.p95`, percentile(samples.shown, 95), 'ms', '≤ 100 ms');
  report(`renderer.lock_ready_after_${trigger}_ms.p50`, percentile(samples.ready, 50), 'ms');
  report(`renderer.lock_ready_after_${trigger}_ms.p95`, percentile(samples.ready, 95), 'ms');
}

async function admitted(stack: WardlineStack): Promise<Awaited<ReturnType<typeof admitFiveYearPatient>>> {
  log('admitting a patient with 5 years of history…');
  const longStay = await admitFiveYearPatient(stack, 'bench-renderer-5y');
  log(`  ${longStay.resources} resources`);
  return longStay;
}

async function main(): Promise<void> {
  log('starting the hub, the workstation and a 40-patient ward…');
  const stack = await startWardlineStack({
    patients: WARD_PATIENTS - 1,
    days: 3,
    pollIntervalMs: 600_000,
    idleTimeoutMs: 3_600_000,
    seed: 'bench-renderer',
    ...(rendererDir === undefined ? {} : { rendererDir }),
  });
  let browser: Browser | null = null;
  try {
    const longStay = locksOnly ? null : await admitted(stack);
    browser = await launchChromium();
    const nina = stack.account('nina');

    const census = locksOnly ? null : await censusAfterSignIn(browser, stack, nina);

    const page = await benchPage(browser, stack);
    await signedIn(page, nina);
    const baselineName = censusName(stack.ward.patients[1]!.patient);
    await chartOpenings(page, baselineName, 1); // the chart screen's code loads on the first opening
    let charts: { long: number[]; baseline: number[] } | null = null;
    if (longStay !== null) {
      log(`charts × ${CHART_RUNS}…`);
      const long = await chartOpenings(page, censusName(longStay.patient.patient), CHART_RUNS);
      charts = { long, baseline: await chartOpenings(page, baselineName, CHART_RUNS) };
    }

    log(`locks × ${LOCK_RUNS + IDLE_LOCK_RUNS + OS_LOCK_RUNS}…`);
    await setPin(page, PIN);
    const shortcutLocks = await lockings(page, nina, LOCK_RUNS, async () => {
      await page.keyboard.press('Control+Shift+L');
      await shown(lockHeading(page));
      const pressedAt = await sessionItem(page, LOCK_PRESSED_KEY);
      if (pressedAt === null) throw new Error('the lock key press was not recorded');
      return Number(pressedAt);
    });
    const idleLocks = await lockings(page, nina, IDLE_LOCK_RUNS, () => {
      const at = performance.timeOrigin + performance.now();
      stack.host.sessions.lock('idle');
      return Promise.resolve(at);
    });
    const osLocks = await lockings(page, nina, OS_LOCK_RUNS, () => {
      const at = performance.timeOrigin + performance.now();
      stack.power.emit('lock-screen');
      return Promise.resolve(at);
    });

    if (census !== null) {
      report('renderer.census_shown_after_sign_in_ms.p50', percentile(census.afterSignIn, 50), 'ms');
      report('renderer.census_shown_after_sign_in_ms.p95', percentile(census.afterSignIn, 95), 'ms', '≤ 300 ms');
      report('renderer.census_shown_after_submit_ms.p50', percentile(census.afterSubmit, 50), 'ms');
      report('renderer.census_shown_after_submit_ms.p95', percentile(census.afterSubmit, 95), 'ms');
    }
    if (charts !== null) {
      report('renderer.chart_5y_interactive_ms.p50', percentile(charts.long, 50), 'ms');
      report('renderer.chart_5y_interactive_ms.p95', percentile(charts.long, 95), 'ms', '≤ 300 ms');
      report('renderer.baseline.chart_3d_interactive_ms.p50', percentile(charts.baseline, 50), 'ms');
      report('renderer.baseline.chart_3d_interactive_ms.p95', percentile(charts.baseline, 95), 'ms');
    }
    reportLocks('shortcut', shortcutLocks);
    reportLocks('idle', idleLocks);
    reportLocks('os_lock', osLocks);
    report(
      'renderer.lock_reloaded_document_to_shown_ms.p50',
      percentile([...shortcutLocks.inNewDocument, ...idleLocks.inNewDocument, ...osLocks.inNewDocument], 50),
      'ms',
    );
  } finally {
    await browser?.close();
    await stack.close();
  }
}

await main();
