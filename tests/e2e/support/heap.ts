// What the page's JavaScript heap holds, as an attacker with the DevTools protocol would see it: a
// heap snapshot (HeapProfiler.takeHeapSnapshot after a forced garbage collection) whose string
// table is searched for patient identifiers.
import type { Page } from 'playwright-core';

interface HeapSnapshot {
  readonly strings: readonly string[];
}

/** Every string in a fresh heap snapshot of the page (after a full garbage collection). */
export async function heapStrings(page: Page): Promise<readonly string[]> {
  const cdp = await page.context().newCDPSession(page);
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => void chunks.push(chunk));
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
  } finally {
    await cdp.detach().catch(() => undefined);
  }
  const snapshot = JSON.parse(chunks.join('')) as HeapSnapshot;
  return snapshot.strings;
}

/** Which of `needles` occur anywhere in `haystack` (case-sensitive). */
export function foundIn(haystack: readonly string[] | string, needles: readonly string[]): string[] {
  const texts = typeof haystack === 'string' ? [haystack] : haystack;
  return needles.filter((needle) => texts.some((text) => text.includes(needle)));
}
