// A hub that answers with JSON of the wrong shape (a Bundle this workstation cannot read: hub and
// workstation versions that do not match) is not a network error. The running host (real hub over
// TLS behind the fault proxy, which reshapes the hub's Bundles; the real sync engine and scheduler)
// shows "sync stopped" with that reason at once (sync:changed), never "downtime", records the error,
// logs it at warning level, does not send the same request again within a cycle, waits longer after
// each failed cycle, and says so no more once the hub's answers are readable again.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatusData } from '../../shared/contract/index.js';
import { TEST_WARD } from '../../electron/session/test-helpers.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';
import { seedGeneratedWard } from './sync-test-kit.js';
import { SYNC_LOCK_FILE } from '../../electron/sync/index.js';

interface LogLine {
  level: number;
  event?: string;
  code?: string;
  failures?: number;
  nextInMs?: number;
}

const INTERVAL_MS = 100;
const logLines: LogLine[] = [];
let t: EnrolledTestHost;

beforeAll(async () => {
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(JSON.parse(line) as LogLine) });
  t = await startEnrolledTestHost({
    seed: 'sync-malformed',
    startSync: true,
    logger,
    // The watchdog's leash far beyond the test: what is shown comes from the failed cycles themselves.
    syncPolicy: { intervalMs: INTERVAL_MS, offlineBackoffMaxMs: 3_000, stoppedAfterMs: 600_000, idleTimeoutMs: 60_000 },
  });
}, 120_000);

afterAll(async () => {
  t?.proxy.setAnswerRewrite(null);
  await t?.close();
});

function announced(): SyncStatusData[] {
  return t.transport.events.filter((e) => e.event === 'sync:changed').map((e) => e.payload as SyncStatusData);
}

async function until(what: string, done: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('a Bundle of the wrong shape from the hub', () => {
  it('shows sync stopped (not downtime), records and logs it, retries it on a growing backoff, and recovers', async () => {
    await until('a first sync', () => t.host.sync!.status().lastSuccess !== null);
    const lastSuccess = t.host.sync!.status().lastSuccess;
    const requests = { everything: 0, history: 0 };
    // Every chart page and history page now arrives as JSON, but not as a Bundle the protocol describes.
    t.proxy.setAnswerRewrite((path, answer) => {
      const everything = path.includes('$everything');
      if (!everything && !path.includes('/_history')) return null;
      requests[everything ? 'everything' : 'history'] += 1;
      const bundle = JSON.parse(answer.toString('utf8')) as Record<string, unknown>;
      const { meta: _meta, ...withoutHubTime } = bundle;
      return Buffer.from(JSON.stringify({ ...withoutHubTime, entry: [{ resource: { resourceType: 'Observation' } }] }));
    });
    // A patient admitted meanwhile: the next cycle loads their chart ($everything), the load that used to be retried.
    await seedGeneratedWard(t.hub.db, TEST_WARD, { seed: 'sync-malformed-late', patients: 1, days: 1 });
    const before = announced().length;
    const logsBefore = logLines.length;
    const failedCycles = () =>
      logLines.slice(logsBefore).filter((l) => l.event === 'sync.scheduled_failed' && l.code === 'HUB_ANSWER_MALFORMED');

    await until('four failed cycles', () => failedCycles().length >= 4);
    t.proxy.setAnswerRewrite(null);
    const since = announced().slice(before);
    const newLogs = logLines.slice(logsBefore);

    // Shown at once as "sync stopped" with its reason, and never as downtime.
    expect(since.some((s) => s.stopped?.reason === 'hub-answer-unreadable')).toBe(true);
    expect(since.map((s) => s.state)).not.toContain('hub-down');
    expect(since.map((s) => s.state)).not.toContain('offline');
    expect(since.filter((s) => s.stopped !== null).map((s) => s.lastError)).toContain('HUB_ANSWER_MALFORMED');
    // Logged at warning level.
    expect(newLogs).toContainEqual(
      expect.objectContaining({ level: 40, event: 'sync.hub_answer_unreadable', code: 'HUB_ANSWER_MALFORMED' }),
    );
    expect(newLogs).toContainEqual(expect.objectContaining({ level: 40, event: 'sync.cycle_failed', code: 'HUB_ANSWER_MALFORMED' }));
    // Not retried like a network error: one request per page per cycle, no retries within a cycle.
    expect(newLogs.filter((l) => l.event === 'sync.retry' && l.code === 'HUB_ANSWER_MALFORMED')).toEqual([]);
    const cycles = newLogs.filter((l) => l.event === 'sync.cycle_failed').length;
    expect(requests.everything).toBeGreaterThan(0);
    expect(requests.everything).toBeLessThanOrEqual(cycles + 1);
    // Each failed cycle waits longer before the next: the policy's interval, doubled per failure (with jitter).
    const waits = failedCycles()
      .slice(0, 4)
      .map((l) => [l.failures!, l.nextInMs!] as const);
    for (const [failures, nextInMs] of waits) expect(nextInMs).toBeGreaterThanOrEqual(INTERVAL_MS * 2 ** (failures - 1));
    expect(waits.map(([failures]) => failures)).toEqual([1, 2, 3, 4]);

    // Readable answers again: the next cycle succeeds and the stop is lifted.
    await until('sync resumed', () => t.host.sync!.status().stopped === null && t.host.sync!.status().lastSuccess !== lastSuccess);
    expect(t.host.sync!.status().lastError).toBeNull();
    expect(announced().at(-1)?.stopped ?? null).toBeNull();
    expect(newLogs.length).toBeGreaterThan(0);
  });
});

describe('a data folder whose sync lock cannot be used (a folder replaced or made read-only under the running host)', () => {
  it('shows sync stopped with that reason at once, logs it at warning level, and recovers once the folder is usable', async () => {
    await until('a clean cycle', () => t.host.sync!.status().stopped === null && t.host.sync!.status().lastError === null);
    const lastSuccess = t.host.sync!.status().lastSuccess;
    const before = announced().length;
    const logsBefore = logLines.length;
    const lock = join(t.station.dataDir, SYNC_LOCK_FILE);
    // The lock file exists only while a cycle runs: put a folder in its place between two cycles.
    await until('the lock free', () => {
      try {
        mkdirSync(lock);
        return true;
      } catch {
        return false;
      }
    });
    try {
      // Far sooner than the watchdog's leash (600 s): the failed cycle itself says so.
      await until(
        'sync stopped shown',
        () =>
          announced()
            .slice(before)
            .some((s) => s.stopped?.reason === 'data-folder-unavailable'),
        20_000,
      );
      const newLogs = logLines.slice(logsBefore);
      expect(newLogs).toContainEqual(
        expect.objectContaining({ level: 40, event: 'sync.data_folder_unavailable', code: 'DATA_FOLDER_UNAVAILABLE' }),
      );
      expect(t.host.sync!.status().lastError).toBe('DATA_FOLDER_UNAVAILABLE');
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
    await until('sync resumed', () => t.host.sync!.status().stopped === null && t.host.sync!.status().lastSuccess !== lastSuccess);
    expect(announced().at(-1)?.stopped ?? null).toBeNull();
  });
});
