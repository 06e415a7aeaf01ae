// The page reader's deadline (page-reader.ts) is about the reader, not about the thread that waits
// for it: a healthy reader whose answer is already there when the deadline passes, because
// the writing thread was busy past it (a long transaction, a loaded machine), is not taken for hung.
// The engine's side of a reader that never answers (terminated, the load read on the writing
// thread) is tests/sync/sync-page-reader.test.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PageReader } from './page-reader.js';
import { pageReaderLimits, resolveSyncPolicy } from './sync-policy.js';

/** An empty page the reader reads. */
function page(): Buffer {
  return Buffer.from('{"resourceType":"Bundle","type":"searchset","meta":{"lastUpdated":"2026-12-08T00:00:00Z"},"entry":[]}');
}

let folder: string;
let answers: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'wardline-page-worker-'));
  answers = join(folder, 'answers');
  process.env.WARDLINE_TEST_PAGE_WORKER_ANSWERS = answers;
});

afterEach(() => {
  delete process.env.WARDLINE_TEST_PAGE_WORKER_ANSWERS;
  rmSync(folder, { recursive: true, force: true });
});

function answered(): number {
  return existsSync(answers) ? readFileSync(answers, 'utf8').split('\n').length - 1 : 0;
}

/**
 * Busy in a turn of its own (as a transaction would be) until the reader has sent its `count`th
 * answer and the deadline has passed: the deadline's timer and the answer are then due together.
 */
function busyUntilAnswered(count: number, answerMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    setImmediate(() => {
      const since = performance.now();
      while (answered() < count || performance.now() - since < 3 * answerMs) {
        if (performance.now() - since > 30_000) break;
      }
      resolve();
    });
  });
}

describe("the page reader's deadline", () => {
  it('takes an answer that arrived while this thread was busy past the deadline: the page is read, the reader not failed', async () => {
    const answerMs = 100;
    const reader = new PageReader(
      { heapMb: 96, firstAnswerMs: 60_000, answerMs },
      new URL('../../tests/sync/fixtures/page-worker-marks.ts', import.meta.url),
    );
    try {
      // Its start, answered within the first deadline.
      expect((await reader.read(page())).columns.count).toBe(0);
      const second = reader.read(page());
      await busyUntilAnswered(2, answerMs);
      expect(answered()).toBe(2);
      expect((await second).columns.count).toBe(0);
      // And the reader still reads (its answer awaited the same way: on a loaded machine a worker's
      // answer may take longer than this test's 100 ms deadline, which is not what is tested here).
      const third = reader.read(page());
      await busyUntilAnswered(3, answerMs);
      expect((await third).columns.count).toBe(0);
    } finally {
      await reader.close();
    }
  });

  it("is never longer than a quarter of the watchdog's stoppedAfterMs, so a load falls back before sync is called stopped", () => {
    expect(pageReaderLimits(resolveSyncPolicy())).toEqual({ heapMb: 96, firstAnswerMs: 60_000, answerMs: 30_000 });
    expect(pageReaderLimits(resolveSyncPolicy({ stoppedAfterMs: 60_000 }))).toEqual({
      heapMb: 96,
      firstAnswerMs: 15_000,
      answerMs: 15_000,
    });
  });
});
