// Timing in the page, with the renderer's own performance marks: an init script adds marks for the
// user's side of each measurement (the sign-in form submitted, a census row clicked) and keeps the
// time of a lock key press (Ctrl+Shift+L) and of the window's cover being painted
// ('wardline:window-covered') across the purge reload (the marks of the old document are gone
// after it; both documents share the wall clock through performance.timeOrigin).
import type { Page } from 'playwright-core';

export const LOCK_PRESSED_KEY = 'wardline-bench.lock-pressed-at';
/** Where the init script keeps the time (epoch ms) of the renderer's 'wardline:window-covered' mark across the reload. */
export const WINDOW_COVERED_KEY = 'wardline-bench.window-covered-at';
const WINDOW_COVERED_MARK = 'wardline:window-covered';

export const BENCH_MARKS_SCRIPT = `
document.addEventListener('submit', () => performance.mark('bench:submit'), true);
document.addEventListener('click', (event) => {
  if (event.target instanceof Element && event.target.closest('[role="row"][data-index]')) performance.mark('bench:row-click');
}, true);
window.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.shiftKey && event.code === 'KeyL') {
    sessionStorage.setItem(${JSON.stringify(LOCK_PRESSED_KEY)}, String(performance.timeOrigin + event.timeStamp));
  }
}, true);
{
  const mark = performance.mark.bind(performance);
  performance.mark = (name, options) => {
    const entry = mark(name, options);
    if (name === ${JSON.stringify(WINDOW_COVERED_MARK)}) {
      sessionStorage.setItem(${JSON.stringify(WINDOW_COVERED_KEY)}, String(performance.timeOrigin + entry.startTime));
    }
    return entry;
  };
}
`;

/** Waits until `name` has been marked at least `count` times in the current document. */
export async function waitForMark(page: Page, name: string, count = 1, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    ({ name: n, count: c }) => performance.getEntriesByName(n, 'mark').length >= c,
    { name, count },
    { timeout, polling: 5 },
  );
}

/** The start time (ms, this document's clock) of the last mark called `name`, or null. */
export function lastMark(page: Page, name: string): Promise<number | null> {
  return page.evaluate((n) => performance.getEntriesByName(n, 'mark').at(-1)?.startTime ?? null, name);
}

/** The wall-clock time (epoch ms) of the last mark called `name` in the current document. */
export function lastMarkEpoch(page: Page, name: string): Promise<number | null> {
  return page.evaluate((n) => {
    const mark = performance.getEntriesByName(n, 'mark').at(-1);
    return mark === undefined ? null : performance.timeOrigin + mark.startTime;
  }, name);
}

/** Milliseconds from mark `from` to mark `to` (the last of each) in the current document. */
export async function between(page: Page, from: string, to: string): Promise<number> {
  const [start, end] = await Promise.all([lastMark(page, from), lastMark(page, to)]);
  if (start === null || end === null) throw new Error(`the page has no "${start === null ? from : to}" mark`);
  return end - start;
}
