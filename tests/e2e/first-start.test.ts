// First start on a deployed machine, in Chromium (issue 16), through the start-up path Electron's
// main and evaluation mode share: with the machine policy but no enrollment token the window shows
// "This workstation is not set up" in plain words, with what IT must do and a code for IT, never a
// stack trace, and nobody can sign in; with a token staged it sets itself up and ends at sign-in.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startWorkstation } from '../../electron/host/index.js';
import { openLoopbackServer } from '../../electron/loopback/index.js';
import { readMachinePolicy } from '../../electron/policy/index.js';
import { examplePolicyDraft, randomPin, testOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents } from '../../electron/session/index.js';
import { CHEAP_HASHING } from '../../electron/session/test-helpers.js';
import { createKeytarCustodian, keyNameFor, vaultExists, wipeVault } from '../../electron/vault/index.js';
import { startE2eHub, type E2eHub } from '../support/e2e-hub.js';
import { builtRenderer } from '../support/renderer-build.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { saveScreenshot } from './support/screenshots.js';
import { shown, signInHeading } from './support/workstation-ui.js';

const TEST = 'first-start';
const WARD = 'e2e-first-start';
const custodian = createKeytarCustodian();
const org = testOrganisation();
let browser: Browser;
let rendererDir: string;
let hub: E2eHub;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  [rendererDir, hub] = await Promise.all([
    builtRenderer(),
    startE2eHub({ wardId: WARD, wardName: 'Ward First Start', seed: 'e2e-first-start', patients: 3, days: 1 }),
  ]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse())
    await Promise.resolve()
      .then(cleanup)
      .catch(() => undefined);
});

/** A machine as IT left it (policy, and a token if given), started as Wardline starts; its one-time URL. */
async function startMachine(
  token: string | null,
  pins: string[] = [hub.pin],
): Promise<{ url: string; tokenFile: string; dataDir: string }> {
  const machineFolder = mkdtempSync(join(tmpdir(), 'wardline-e2e-machine-'));
  const dataDir = join(mkdtempSync(join(tmpdir(), 'wardline-e2e-first-')), 'Wardline');
  cleanups.push(() => rmSync(machineFolder, { recursive: true, force: true }));
  cleanups.push(async () => {
    await wipeVault({ dataDir, custodian }).catch(() => undefined);
    await custodian.destroy(keyNameFor(dataDir, 'audit')).catch(() => undefined);
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });
  const policyFile = join(machineFolder, 'policy.json');
  writeFileSync(
    policyFile,
    org.sign({
      ...examplePolicyDraft(),
      issued: new Date().toISOString(),
      hub: { url: hub.url, pins },
      ward: WARD,
      updates: { enabled: false },
    }),
  );
  const tokenFile = join(machineFolder, 'enrollment', 'token');
  if (token !== null) {
    mkdirSync(join(machineFolder, 'enrollment'));
    writeFileSync(tokenFile, token);
  }
  const logger = pino({ level: 'silent' });
  const loopback = await openLoopbackServer({ rendererDir, logger });
  cleanups.push(() => loopback.close());
  const started = await startWorkstation({
    dataDir,
    policy: await readMachinePolicy(policyFile, [org.trusted]),
    policyFile,
    enrollmentTokenFile: tokenFile,
    custodian,
    powerEvents: new ControllablePowerEvents(),
    transport: loopback.transport,
    isTrustedSender: loopback.isTrustedSender,
    logger,
    hashing: CHEAP_HASHING,
    startSync: false,
  });
  cleanups.push(() => started.close());
  return { url: loopback.issueUrl(), tokenFile, dataDir };
}

describe('first start on a deployed machine', () => {
  it('without an enrollment token shows "This workstation is not set up", what IT must do, and no sign-in', async () => {
    const machine = await startMachine(null);
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'not-set-up-failure').then(() => undefined));

    await page.goto(machine.url);
    await shown(page.getByRole('heading', { name: 'This workstation is not set up' }));
    await shown(page.getByRole('alert').filter({ hasText: /Nobody can sign in here yet/ }));
    const steps = await shown(page.getByRole('region', { name: 'What IT must do' }));
    await shown(steps.getByRole('listitem').filter({ hasText: `save it as ${machine.tokenFile}` }));
    await shown(steps.getByRole('listitem').filter({ hasText: /signed machine policy/ }));
    await shown(page.getByText('Code for IT: NOT_SET_UP'));
    // Plain language only: no stack trace, no error class, and no way to sign in.
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(/\bat .+:\d+:\d+|Error:|TypeError|undefined/);
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await signInHeading(page).count()).toBe(0);
    expect(vaultExists(machine.dataDir)).toBe(false);
    await saveScreenshot(page, TEST, 'not-set-up');
    await expectAccessible(page, 'not set up');

    expectNoPageProblems(watched);
    await watched.context.close();
  });

  it("with a pin that is not the hub certificate's says it could not be set up and why, in plain words, with no vault left", async () => {
    const machine = await startMachine(await hub.enrollmentToken(), [randomPin()]);
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failed-failure').then(() => undefined));

    await page.goto(machine.url);
    await shown(page.getByRole('heading', { name: 'This workstation could not be set up' }));
    await shown(page.getByRole('alert').filter({ hasText: /does not match the pin/ }));
    await shown(page.getByText('Code for IT: PIN_MISMATCH'));
    expect(await page.locator('body').innerText()).not.toMatch(/\bat .+:\d+:\d+|Error:|TypeError|undefined/);
    expect(vaultExists(machine.dataDir)).toBe(false);
    await saveScreenshot(page, TEST, 'wrong-pin');

    expectNoPageProblems(watched);
    await watched.context.close();
  });

  it('with a staged token sets itself up and ends at the sign-in screen', async () => {
    const machine = await startMachine(await hub.enrollmentToken());
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'set-up-failure').then(() => undefined));

    await page.goto(machine.url);
    await shown(signInHeading(page));
    expect(vaultExists(machine.dataDir)).toBe(true);
    await saveScreenshot(page, TEST, 'set-up-sign-in');

    expectNoPageProblems(watched);
    await watched.context.close();
  });
});
