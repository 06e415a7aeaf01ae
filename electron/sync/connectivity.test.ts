import { describe, expect, it } from 'vitest';
import { ConnectivityMonitor, isDowntime, TROUBLE_WINDOW_MS, type ConnectivityChange } from './connectivity.js';

function monitor(initial: 'online' | 'offline' = 'offline') {
  let now = 0;
  const changes: ConnectivityChange[] = [];
  const m = new ConnectivityMonitor({ initial, slowResponseMs: 1000, now: () => now });
  m.onChange((change) => changes.push(change));
  return { m, changes, advance: (ms: number) => (now += ms), now: () => now };
}

describe('connectivity', () => {
  it('goes online on a prompt answer, degraded on a slow one or after a retried error, back online once quiet', () => {
    const { m, changes, advance } = monitor();
    m.answered(20);
    expect(m.state).toBe('online');
    m.answered(1500);
    expect(m.state).toBe('degraded');
    advance(61_000);
    m.answered(20);
    expect(m.state).toBe('online');
    m.hiccup('CONNECTION_LOST');
    expect(m.state).toBe('degraded');
    expect(changes.map((c) => c.state)).toEqual(['online', 'degraded', 'online', 'degraded']);
  });

  it('tells an unreachable hub (offline) from one that answers badly (hub-down), without user action', () => {
    const { m } = monitor('online');
    m.failed('HUB_UNREACHABLE', false);
    expect(m.state).toBe('offline');
    m.failed('HUB_ERROR', true);
    expect(m.state).toBe('hub-down');
    expect(m.lastProblem).toBe('HUB_ERROR');
    expect(isDowntime('offline') && isDowntime('hub-down') && !isDowntime('degraded') && !isDowntime('online')).toBe(true);
  });

  it('says online as soon as a whole sync cycle succeeds without trouble after the hub came back, not a minute later', () => {
    const { m, advance, now } = monitor('online');
    m.failed('HUB_TIMEOUT', true);
    expect(m.state).toBe('hub-down');
    advance(5_000);
    const started = now();
    m.answered(20);
    expect(m.state).toBe('degraded');
    advance(2_000);
    m.answered(20);
    m.cycleSucceeded(started);
    expect(m.state).toBe('online');
    expect(now() - started).toBeLessThan(TROUBLE_WINDOW_MS);
    expect(m.lastProblem).toBe('HUB_TIMEOUT');
    // It stays online: the next answers are not held to the old trouble's window.
    advance(1_000);
    m.answered(20);
    expect(m.state).toBe('online');
  });

  it('keeps "connection problems" after a cycle that met trouble (a retry or a slow answer) while it ran', () => {
    const { m, advance, now } = monitor('online');
    const started = now();
    advance(1_000);
    m.hiccup('CONNECTION_LOST');
    m.answered(20);
    m.cycleSucceeded(started);
    expect(m.state).toBe('degraded');
    advance(1_000);
    const slowStarted = now();
    m.answered(1500);
    m.cycleSucceeded(slowStarted);
    expect(m.state).toBe('degraded');
    // A later clean cycle ends it.
    advance(1_000);
    const clean = now();
    m.answered(20);
    m.cycleSucceeded(clean);
    expect(m.state).toBe('online');
  });

  it('ends trouble early once a window: a hub that keeps failing every other cycle waits out the whole window', () => {
    const { m, changes, advance, now } = monitor('online');
    m.failed('HUB_ERROR', true);
    advance(15_000);
    let started = now();
    m.answered(20);
    m.cycleSucceeded(started);
    expect(m.state).toBe('online');
    advance(15_000);
    m.failed('HUB_ERROR', true);
    advance(15_000);
    started = now();
    m.answered(20);
    m.cycleSucceeded(started);
    expect(m.state).toBe('degraded');
    advance(15_000);
    started = now();
    m.answered(20);
    m.cycleSucceeded(started);
    expect(m.state).toBe('degraded');
    // The window since the last trouble runs out: online again.
    advance(TROUBLE_WINDOW_MS - 30_000 + 1);
    m.answered(20);
    expect(m.state).toBe('online');
    expect(changes.map((c) => c.state)).toEqual(['hub-down', 'degraded', 'online', 'hub-down', 'degraded', 'online']);
  });
});
