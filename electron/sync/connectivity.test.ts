import { describe, expect, it } from 'vitest';
import { ConnectivityMonitor, isDowntime, type ConnectivityChange } from './connectivity.js';

function monitor(initial: 'online' | 'offline' = 'offline') {
  let now = 0;
  const changes: ConnectivityChange[] = [];
  const m = new ConnectivityMonitor({ initial, slowResponseMs: 1000, now: () => now });
  m.onChange((change) => changes.push(change));
  return { m, changes, advance: (ms: number) => (now += ms) };
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
});
