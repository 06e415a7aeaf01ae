// "Sync stopped" reaches the user when the sync loop no longer does its job, whatever the hub
// answers: a running host (real hub over TLS, the fault proxy before it, the real sync engine and
// scheduler) whose cycles fail before they reach the hub (the data folder's sync lock cannot be
// taken: said at the first failed cycle, tried again on the backoff), or whose request hangs (the
// watchdog: the loop restarted), tells the window (sync:changed) that sync stopped and why, logs it
// at warning level, and says so no more once a cycle succeeds again. The watchdog's other verdicts
// (no cycle succeeded, none started) are unit-tested in electron/sync/sync-watchdog.test.ts.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatusData } from '../../shared/contract/index.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';

const logLines: Array<{ level: number; event?: string; reason?: string; code?: string }> = [];
let t: EnrolledTestHost;

beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as (typeof logLines)[number]) });
  t = await startEnrolledTestHost({
    seed: 'sync-watchdog',
    startSync: true,
    logger,
    // A short leash, so the test need not wait five minutes; requests may hang far longer than it.
    syncPolicy: { intervalMs: 250, stoppedAfterMs: 1_500, idleTimeoutMs: 60_000, requestTimeoutMs: 120_000, offlineBackoffMaxMs: 3_000 },
  });
}, 120_000);

afterAll(async () => {
  t.proxy.setFaults(null);
  await t?.close();
});

/** The sync:changed announcements so far. */
function announced(): SyncStatusData[] {
  return t.transport.events.filter((e) => e.event === 'sync:changed').map((e) => e.payload as SyncStatusData);
}

async function until(what: string, done: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the sync watchdog in the running host', () => {
  it('shows "sync stopped" at once when cycles fail before reaching the hub while the banner would say online, then recovers', async () => {
    await until('a first sync', () => t.host.sync!.status().lastSuccess !== null);
    // The data folder changes under the host: the sync lock can no longer be taken.
    const lock = join(t.station.dataDir, 'sync.lock');
    await until('a moment between cycles', () => {
      try {
        mkdirSync(lock);
        return true;
      } catch {
        return false;
      }
    });
    const before = announced().length;
    await until('the stop announced', () =>
      announced()
        .slice(before)
        .some((s) => (s.stopped ?? null) !== null),
    );
    const stopped = announced()
      .slice(before)
      .find((s) => (s.stopped ?? null) !== null)!;
    try {
      expect(stopped.stopped).toMatchObject({ reason: 'data-folder-unavailable', since: expect.any(String) });
      expect(stopped.state).toBe('online');
      expect(logLines).toContainEqual(
        expect.objectContaining({ level: 40, event: 'sync.data_folder_unavailable', code: 'DATA_FOLDER_UNAVAILABLE' }),
      );
      expect(logLines).toContainEqual(expect.objectContaining({ level: 40, event: 'sync.cycle_failed' }));
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
    await until('sync resumed', () => t.host.sync!.status().stopped === null);
    expect(announced().at(-1)?.stopped ?? null).toBeNull();
    expect(t.host.sync!.status().lastError).toBeNull();
  });

  it('shows "sync stopped" when a request hangs, aborts it and restarts the loop, and recovers once the hub answers', async () => {
    await until('sync running', () => t.host.sync!.status().stopped === null);
    const before = announced().length;
    t.proxy.setFaults({ stall: 1 });
    t.host.sync!.requestSync();
    await until('the stop announced', () =>
      announced()
        .slice(before)
        .some((s) => s.stopped?.reason === 'cycle-hung'),
    );
    expect(logLines).toContainEqual(expect.objectContaining({ level: 40, event: 'sync.stopped', reason: 'cycle-hung' }));
    t.proxy.setFaults(null);
    await until('sync resumed', () => t.host.sync!.status().stopped === null);
    const resumedAt = t.host.sync!.status().lastSuccess;
    await until('another cycle after the restart', () => t.host.sync!.status().lastSuccess !== resumedAt);
  });
});
