// The workstation's screens as a user drives them: by visible labels, roles and accessible names
// (what a nurse reads and a screen reader announces), never by CSS classes or test ids.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** Long enough for a sign-in with real argon2id, a chart read, or a purge reload on a busy machine. */
export const UI_TIMEOUT_MS = 20_000;

/** Waits until `locator` is visible (a failure names what was awaited). */
export async function shown(locator: Locator, timeout = UI_TIMEOUT_MS): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

export const signInHeading = (page: Page): Locator => page.getByRole('heading', { name: 'Sign in to Wardline' });
export const lockHeading = (page: Page): Locator => page.getByRole('heading', { name: 'Wardline is locked' });
export const censusHeading = (page: Page): Locator => page.getByRole('heading', { name: 'Ward census' });
export const connectionBanner = (page: Page): Locator => page.getByRole('region', { name: 'Connection status' });
export const chartRegion = (page: Page): Locator => page.getByRole('region', { name: 'Patient chart' });
/**
 * The chart's notice after `what` ("Vital signs", "Correction"…) is saved while the hub answers: "pending
 * upload", or already "delivered to the hub" (the sync a save asks for may deliver it before the notice
 * is read on a busy machine). A test that holds the upload (downtime) waits for "pending upload" itself.
 */
export const savedNotice = (page: Page, what: string): Locator =>
  chartRegion(page).getByText(new RegExp(`^${what} saved on this workstation — (pending upload|delivered to the hub)\\.$`));
/** The census row of the patient named `name` (its cell reads the name, then ", " and the MRN and birth date). */
export const censusRow = (page: Page, name: string): Locator =>
  page
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*(,|$)`) }) });

/** Fills the sign-in form on screen (sign-in page or "Switch user") and submits it. */
export async function submitSignIn(page: Page, who: Credentials): Promise<void> {
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Signs in from the sign-in screen and waits for the signed-in frame (its Lock button). */
export async function signIn(page: Page, who: Credentials): Promise<void> {
  await shown(signInHeading(page));
  await submitSignIn(page, who);
  await shown(page.getByRole('button', { name: 'Lock', exact: true }));
}

/** The census with `count` patients listed. */
export async function expectCensus(page: Page, count: number): Promise<void> {
  await shown(censusHeading(page));
  await shown(page.getByText(`${count} patients`, { exact: true }));
}

/** Opens a patient's chart from the census by clicking their row; waits for the banner. */
export async function openChart(page: Page, censusName: string): Promise<void> {
  await shown(censusRow(page, censusName));
  await censusRow(page, censusName).click();
  await shown(page.getByRole('heading', { level: 2, name: censusName }));
}

export async function openChartTab(page: Page, tab: string): Promise<void> {
  await page.getByRole('tab', { name: tab, exact: true }).click();
  await expect.poll(() => page.getByRole('tab', { name: tab, exact: true }).getAttribute('aria-selected')).toBe('true');
}

/** Menu → Set PIN…: the PIN typed twice, saved. */
export async function setPin(page: Page, pin: string): Promise<void> {
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('menuitem', { name: 'Set PIN…' }).click();
  const dialog = await shown(page.getByRole('dialog'));
  await dialog.getByLabel('New PIN (4 to 8 digits)').fill(pin);
  await dialog.getByLabel('Repeat the PIN').fill(pin);
  await dialog.getByRole('button', { name: 'Save PIN' }).click();
  await shown(page.getByText('Your PIN is saved.', { exact: false }));
}

/** Right after a first online sign-in on this workstation: takes the PIN offer and sets `pin`. */
export async function setPinFromOffer(page: Page, pin: string): Promise<void> {
  const offer = await shown(page.getByRole('region', { name: 'PIN offer' }));
  await offer.getByRole('button', { name: 'Set a PIN' }).click();
  const dialog = await shown(page.getByRole('dialog'));
  await dialog.getByLabel('New PIN (4 to 8 digits)').fill(pin);
  await dialog.getByLabel('Repeat the PIN').fill(pin);
  await dialog.getByRole('button', { name: 'Save PIN' }).click();
  await shown(page.getByText('Your PIN is saved.', { exact: false }));
  expect(await page.getByRole('region', { name: 'PIN offer' }).count()).toBe(0);
}

/** On the lock screen: picks the user's locked session (if a choice is needed) and types the PIN. */
export async function unlockWithPin(page: Page, username: string, pin: string): Promise<void> {
  await shown(lockHeading(page));
  const pinField = page.getByLabel(`PIN for ${username}`);
  if (!(await pinField.isVisible()))
    await page
      .getByRole('list', { name: 'Locked sessions' })
      .getByRole('button', { name: new RegExp(`^${username}\\b`) })
      .click();
  await pinField.fill(pin);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
}

/** The downtime banner's text now. */
export async function bannerText(page: Page): Promise<string> {
  return (await connectionBanner(page).textContent()) ?? '';
}
