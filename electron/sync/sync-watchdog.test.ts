import { describe, expect, it } from 'vitest';
import { SyncWatchdog } from './sync-watchdog.js';

const MIN = 60_000;

function watchdog() {
  let now = 1_000_000;
  const dog = new SyncWatchdog({ stoppedAfterMs: 5 * MIN, offlineBackoffMaxMs: 5 * MIN, now: () => now });
  return { dog, pass: (ms: number) => (now += ms) };
}

describe('the sync watchdog', () => {
  it('finds nothing wrong while cycles succeed on their interval', () => {
    const { dog, pass } = watchdog();
    for (let i = 0; i < 40; i += 1) {
      dog.cycleStarted();
      pass(2_000);
      dog.cycleEnded(true);
      pass(15_000);
      expect(dog.check('online')).toBeNull();
    }
  });

  it('calls sync stopped when cycles fail while the workstation believes it is online (the hub answers)', () => {
    const { dog, pass } = watchdog();
    for (let i = 0; i < 25; i += 1) {
      dog.cycleStarted();
      dog.cycleEnded(false);
      pass(15_000);
    }
    expect(dog.check('online')).toBe('no-cycle-succeeded');
    // Offline, failing cycles are downtime, not a stopped loop.
    expect(dog.check('offline')).toBeNull();
  });

  it('calls a cycle hung when it hears nothing from the hub for too long, but not a long load that makes progress', () => {
    const { dog, pass } = watchdog();
    dog.cycleStarted();
    for (let i = 0; i < 10; i += 1) {
      pass(MIN);
      dog.progressed();
      expect(dog.check('online')).toBeNull();
    }
    pass(5 * MIN + 1);
    expect(dog.check('offline')).toBe('cycle-hung');
  });

  it('calls the loop not cycling when no cycle starts, allowing the longest backoff while offline', () => {
    const { dog, pass } = watchdog();
    dog.cycleStarted();
    dog.cycleEnded(false);
    pass(6 * MIN);
    expect(dog.check('offline')).toBeNull();
    pass(5 * MIN);
    expect(dog.check('offline')).toBe('not-cycling');
    expect(dog.check('online')).toBe('not-cycling');
  });

  it('starts its clocks again after a restart', () => {
    const { dog, pass } = watchdog();
    pass(6 * MIN);
    expect(dog.check('online')).not.toBeNull();
    dog.restarted();
    expect(dog.check('online')).toBeNull();
  });
});
