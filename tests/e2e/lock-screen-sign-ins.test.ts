// Signing in again at the lock screen, as the ward does it. A nurse who signed in offline during
// downtime carries the "Signed in offline" badge; once the hub is back and she signs in with her
// password at the lock screen (she has no PIN, so she is asked for the password, never a PIN), her
// session holds the hub's tokens and the badge goes. A colleague's first online sign-in on this
// workstation through "Switch user" on the lock screen brings the PIN offer, as one from the sign-in
// screen does; she declines it, and at the next lock she is asked for her password, not a PIN. A
// physician signed in offline need not lock: once the hub answers, "Sign in online" beside the badge
// takes his password and the badge goes.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startWardlineStack, type WardlineStack } from '../support/e2e-harness.js';
import { expectAccessible } from './support/axe.js';
import { expectNoPageProblems, launchChromium, watchedPage } from './support/browser.js';
import { saveScreenshot } from './support/screenshots.js';
import {
  type Credentials,
  censusHeading,
  connectionBanner,
  lockHeading,
  shown,
  signIn,
  signInHeading,
  submitSignIn,
} from './support/workstation-ui.js';

const TEST = 'lock-screen-sign-ins';
const POLL_MS = 2_000;
let stack: WardlineStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startWardlineStack({ patients: 3, days: 1, pollIntervalMs: POLL_MS, hashing: 'fast', seed: 'e2e-lock-screen-sign-ins' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const offlineBadge = (page: Page) => page.getByRole('banner').getByText('Signed in offline', { exact: true });
const pinOffer = (page: Page) => page.getByRole('region', { name: 'PIN offer' });

async function lock(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await shown(lockHeading(page));
}

/** On the lock screen, the user's session is chosen and the password asked for: never a PIN. */
async function expectAskedForPassword(page: Page, username: string): Promise<void> {
  const session = page.getByRole('list', { name: 'Locked sessions' }).getByRole('button', { name: new RegExp(`^${username}\\b`) });
  if ((await session.getAttribute('aria-pressed')) !== 'true') await session.click();
  await shown(page.getByText('You have no PIN on this workstation. Unlock with your password.'));
  await shown(page.getByLabel(`Password for ${username}`));
  expect(await page.getByLabel(`PIN for ${username}`).count()).toBe(0);
}

async function unlockWithPassword(page: Page, who: Credentials): Promise<void> {
  await page.getByLabel(`Password for ${who.username}`).fill(who.password);
  await page.getByRole('button', { name: 'Unlock with password', exact: true }).click();
  await shown(censusHeading(page));
}

describe('signing in again at the lock screen', () => {
  it("clears the 'Signed in offline' badge once she signs in online again with the hub back", { timeout: 180_000 }, async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'offline-badge-failure').then(() => undefined));
    const nina = stack.account('nina');

    // Her first sign-in here is online (the offline sign-in needs it); she declines the PIN.
    await page.goto(stack.url);
    await signIn(page, nina);
    await (await shown(pinOffer(page))).getByRole('button', { name: 'Not now' }).click();
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await shown(signInHeading(page));

    // Downtime: she signs in offline, and the top bar says so.
    await stack.hub.stop();
    await page.getByLabel('Username').fill(nina.username);
    await page.getByLabel('Password', { exact: true }).fill(nina.password);
    await page.getByRole('button', { name: 'Sign in offline', exact: true }).click();
    await shown(censusHeading(page));
    await shown(offlineBadge(page));

    // The hub is back. Her session holds no hub tokens yet: the badge stays until she signs in online.
    await stack.hub.start();
    // (The hub answers again: "Online" after the first clean sync cycle, "Connection problems" until then.)
    await shown(connectionBanner(page).getByText(/Online — connected to the hub\.|Connection problems — /), 4 * POLL_MS + 15_000);
    expect(await offlineBadge(page).count()).toBe(1);

    await lock(page);
    await expectAskedForPassword(page, nina.username);
    await unlockWithPassword(page, nina);
    await shown(page.getByRole('banner').getByText(nina.username, { exact: true }));
    expect(await offlineBadge(page).count()).toBe(0);
    expect(stack.host.sessions.current().active).toMatchObject({ username: nina.username, mode: 'online' });
    await saveScreenshot(page, TEST, 'online-again');

    expectNoPageProblems(watched);
    await watched.context.close();
  });

  it("offers a PIN after a colleague's first sign-in through 'Switch user', and asks her for the password at the next lock", async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    onTestFailed(() => saveScreenshot(page, TEST, 'switch-offer-failure').then(() => undefined));
    const noor = stack.account('noor');

    // nina's session is still open from before: she locks it, and noor signs in from the lock screen.
    await page.goto(stack.issueUrl());
    await shown(censusHeading(page));
    await lock(page);
    await page.getByRole('button', { name: 'Switch user' }).click();
    await shown(page.getByRole('heading', { name: 'Sign in as another user' }));
    await submitSignIn(page, noor);
    await shown(censusHeading(page));
    await shown(page.getByRole('banner').getByText(noor.username, { exact: true }));
    const offer = await shown(pinOffer(page));
    await saveScreenshot(page, TEST, 'pin-offer-after-switch');
    await expectAccessible(page, 'PIN offer after switch user');
    await offer.getByRole('button', { name: 'Not now' }).click();
    expect(await pinOffer(page).count()).toBe(0);

    // Without a PIN, the lock screen asks her for the password; it opens her own session again.
    await lock(page);
    await shown(page.getByRole('list', { name: 'Locked sessions' }).getByRole('button', { name: /^nina\b/ }));
    await expectAskedForPassword(page, noor.username);
    await unlockWithPassword(page, noor);
    await shown(page.getByRole('banner').getByText(noor.username, { exact: true }));
    // Not her first sign-in here any more: no second offer.
    expect(await pinOffer(page).count()).toBe(0);

    expectNoPageProblems(watched);
    await watched.context.close();
  });

  it(
    'lets a session signed in offline sign in online beside the badge once the hub answers, and the badge goes',
    { timeout: 180_000 },
    async () => {
      const watched = await watchedPage(browser);
      const { page } = watched;
      onTestFailed(() => saveScreenshot(page, TEST, 'sign-in-online-failure').then(() => undefined));
      const paul = stack.account('paul');
      const signInOnline = page.getByRole('banner').getByRole('button', { name: 'Sign in online' });

      // noor's session from before ends; nina's stays locked. paul signs in once online, then leaves.
      await page.goto(stack.issueUrl());
      await shown(censusHeading(page));
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await shown(lockHeading(page));
      await page.getByRole('button', { name: 'Switch user' }).click();
      await submitSignIn(page, paul);
      await (await shown(pinOffer(page))).getByRole('button', { name: 'Not now' }).click();
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await shown(lockHeading(page));

      // Downtime: he signs in offline from the lock screen; nothing to sign in online to yet.
      await stack.hub.stop();
      await page.getByRole('button', { name: 'Switch user' }).click();
      await page.getByLabel('Username').fill(paul.username);
      await page.getByLabel('Password', { exact: true }).fill(paul.password);
      await page.getByRole('button', { name: 'Sign in offline', exact: true }).click();
      await shown(censusHeading(page));
      await shown(offlineBadge(page));
      await shown(connectionBanner(page).getByText(/Downtime — /), 4 * POLL_MS + 15_000);
      expect(await signInOnline.count()).toBe(0);

      // The hub answers again: he signs in online from the top bar, without locking.
      await stack.hub.start();
      await (await shown(signInOnline, 4 * POLL_MS + 15_000)).click();
      const dialog = await shown(page.getByRole('dialog', { name: 'Sign in online' }));
      await expectAccessible(page, 'sign in online');
      await dialog.getByLabel(`Password for ${paul.username}`).fill(paul.password);
      await dialog.getByRole('button', { name: 'Sign in online', exact: true }).click();
      await expect.poll(() => offlineBadge(page).count(), { timeout: 20_000 }).toBe(0);
      expect(await signInOnline.count()).toBe(0);
      expect(await page.getByRole('dialog').count()).toBe(0);
      await shown(censusHeading(page));
      expect(stack.host.sessions.current().active).toMatchObject({ username: paul.username, mode: 'online' });
      await saveScreenshot(page, TEST, 'signed-in-online-from-badge');

      expectNoPageProblems(watched);
      await watched.context.close();
    },
  );
});
