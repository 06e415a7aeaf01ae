// Every screen of the workstation through axe-core (@axe-core/playwright) in Debian's Chromium:
// no serious or critical violation on sign-in, census, each chart tab, the documentation forms
// (writing a note among them), emergency access, the dialogs, conflicts, lock, switch user, audit
// and policy. Each screen is also
// saved as a screenshot under test-artifacts/e2e/. All screens are checked before the test reports,
// so one run names every screen with a problem.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { seriousA11yViolations } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { saveScreenshot } from './support/screenshots.js';
import { activeOrdersOf, allergiesOf, censusName, isRestricted, nurseablePatient } from './support/ward.js';
import {
  censusRow,
  chartRegion,
  expectCensus,
  lockHeading,
  openChart,
  openChartTab,
  setPin,
  shown,
  signIn,
  signInHeading,
  submitSignIn,
} from './support/workstation-ui.js';

const TEST = 'a11y';
const CHART_TABS = ['Summary', 'Vital signs', 'MAR', 'Labs', 'Notes', 'Problems', 'Medications'] as const;
let stack: WardlineStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 10, days: 2, pollIntervalMs: 5_000, seed: 'e2e-a11y' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('accessibility of every screen', () => {
  it('has no serious or critical axe violation on any screen, and a screenshot of each', { timeout: 600_000 }, async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'failure').then(() => undefined));
    const found: Record<string, string[]> = {};
    const check = async (screen: string, target: Page = page): Promise<void> => {
      await saveScreenshot(target, TEST, screen);
      const violations = await seriousA11yViolations(target);
      if (violations.length > 0) found[screen] = violations;
    };
    const patient = nurseablePatient(
      stack.ward,
      (p) =>
        allergiesOf(p).length > 0 && activeOrdersOf(p).some((order) => order.dosageInstruction?.[0]?.asNeededCodeableConcept === undefined),
    );
    const restricted = stack.ward.patients.find(isRestricted);
    const nina = stack.account('nina');

    await page.goto(stack.url);
    await shown(signInHeading(page));
    await check('sign-in');
    await submitSignIn(page, { username: nina.username, password: 'not her password' });
    await shown(page.getByRole('alert'));
    await check('sign-in-refused');

    await signIn(page, nina);
    await expectCensus(page, stack.ward.patients.length);
    await check('census');

    await page.getByRole('button', { name: 'Open a chart from another ward' }).click();
    await shown(page.getByRole('dialog', { name: 'Open a chart from another ward' }));
    await check('off-ward-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    if (restricted !== undefined) {
      await censusRow(page, censusName(restricted.patient)).click();
      await shown(page.getByRole('heading', { name: 'Emergency access needed' }));
      await check('emergency-access');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expectCensus(page, stack.ward.patients.length);
    }

    await openChart(page, censusName(patient.patient));
    for (const tab of CHART_TABS) {
      await openChartTab(page, tab);
      await page.getByRole('tabpanel').waitFor({ state: 'visible' });
      await expect
        .poll(
          async () =>
            page
              .getByRole('tabpanel')
              .getByText(/^Loading/)
              .count(),
          { timeout: 15_000 },
        )
        .toBe(0);
      await check(`chart-${tab}`);
    }

    await chartRegion(page).getByRole('button', { name: 'Record vital signs' }).click();
    await shown(page.getByRole('dialog', { name: 'Record vital signs' }));
    await check('record-vital-signs');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    await openChartTab(page, 'Notes');
    await page.getByRole('tabpanel').getByRole('button', { name: 'Write note' }).click();
    await shown(page.getByRole('dialog', { name: 'Write note' }));
    await check('write-note');
    await page.getByRole('dialog').getByRole('button', { name: 'Save note' }).click();
    await shown(page.getByRole('dialog').getByText('Write the note before saving it.'));
    await check('write-note-missing-text');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // A scheduled dose is recorded from its slot on the MAR.
    await openChartTab(page, 'MAR');
    await page
      .getByRole('table', { name: 'Medication administration record' })
      .getByRole('button', { name: /^Record .+ dose due / })
      .first()
      .click();
    await shown(page.getByRole('dialog', { name: 'Record administration' }));
    await check('record-administration');
    await page.getByRole('dialog').getByRole('radio', { name: 'Held or refused' }).click();
    await check('record-administration-held');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    await page.getByRole('button', { name: 'Menu' }).click();
    await shown(page.getByRole('menu'));
    await check('account-menu');
    await page.getByRole('menuitem', { name: 'Keyboard shortcuts' }).click();
    await shown(page.getByRole('dialog'));
    await check('keyboard-shortcuts');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('menuitem', { name: 'Set PIN…' }).click();
    await shown(page.getByRole('dialog'));
    await check('set-pin');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await setPin(page, '1357');

    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('button', { name: /^Conflicts/ })
      .click();
    await shown(page.getByText('There are no conflicts to settle.'));
    await check('conflicts-none');

    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await shown(lockHeading(page));
    await shown(page.getByLabel(`PIN for ${nina.username}`));
    await check('lock');
    await page.getByLabel(`PIN for ${nina.username}`).fill('0000');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await shown(page.getByRole('alert'));
    await check('lock-wrong-pin');

    await page.getByRole('button', { name: 'Switch user' }).click();
    await shown(page.getByRole('heading', { name: 'Sign in as another user' }));
    await check('switch-user');
    await submitSignIn(page, stack.account('adam'));
    await shown(page.getByRole('heading', { name: 'Audit trail' }));
    await check('audit-empty');
    await page.getByRole('button', { name: 'Show entries' }).click();
    await shown(page.getByRole('table', { name: 'Audit entries, newest first' }));
    await check('audit');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Policy' }).click();
    await shown(page.getByRole('heading', { name: 'Policy in force' }));
    await check('policy');

    expect(found, 'serious or critical axe violations, by screen').toEqual({});
    expectNoPageProblems(watched);
    await watched.context.close();
  });
});
