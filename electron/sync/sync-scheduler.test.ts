import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncScheduler } from './sync-scheduler.js';
import { SyncError } from './sync-error.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function controlledSync() {
  const calls: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  let running = 0;
  let maxRunning = 0;
  const sync = () =>
    new Promise<void>((resolve, reject) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      calls.push({
        resolve: () => {
          running -= 1;
          resolve();
        },
        reject: (e) => {
          running -= 1;
          reject(e);
        },
      });
    });
  return { sync, calls, maxRunning: () => maxRunning };
}

describe('sync scheduler', () => {
  it('syncs at start and then every interval', async () => {
    const control = controlledSync();
    const scheduler = new SyncScheduler({
      sync: control.sync,
      intervalMs: 15_000,
      offlineBackoffMaxMs: 300_000,
      logger: pino({ level: 'silent' }),
      random: () => 0.5,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(control.calls).toHaveLength(1);
    control.calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(14_999);
    expect(control.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(control.calls).toHaveLength(2);
    control.calls[1]!.resolve();
    await scheduler.stop();
  });

  it('syncs soon after a local write, and a write during a cycle is served right after it, never two at once', async () => {
    const control = controlledSync();
    const scheduler = new SyncScheduler({
      sync: control.sync,
      intervalMs: 15_000,
      offlineBackoffMaxMs: 300_000,
      logger: pino({ level: 'silent' }),
      random: () => 0.5,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    scheduler.requestSync();
    scheduler.requestSync();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(control.calls).toHaveLength(1);
    control.calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(control.calls).toHaveLength(2);
    control.calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    scheduler.requestSync();
    await vi.advanceTimersByTimeAsync(300);
    expect(control.calls).toHaveLength(3);
    control.calls[2]!.resolve();
    expect(control.maxRunning()).toBe(1);
    await scheduler.stop();
  });

  it('waits longer and longer while the hub stays unreachable, and returns to the interval after a success', async () => {
    const control = controlledSync();
    const scheduler = new SyncScheduler({
      sync: control.sync,
      intervalMs: 10_000,
      offlineBackoffMaxMs: 80_000,
      logger: pino({ level: 'silent' }),
      random: () => 1,
    });
    scheduler.start();
    const gaps: number[] = [];
    let last = 0;
    for (let i = 0; i < 5; i += 1) {
      while (control.calls.length === i) await vi.advanceTimersByTimeAsync(1_000);
      gaps.push(Date.now() - last);
      last = Date.now();
      control.calls[i]!.reject(new SyncError('HUB_UNREACHABLE', 'unreachable'));
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.failures).toBe(5);
    expect(gaps.slice(1)).toEqual([20_000, 40_000, 80_000, 80_000]);
    while (control.calls.length === 5) await vi.advanceTimersByTimeAsync(1_000);
    control.calls[5]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.failures).toBe(0);
    await scheduler.stop();
  });
});
