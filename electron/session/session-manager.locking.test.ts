// Locking: idle timeout, absolute limit, OS lock and suspend, manual lock, the purge the renderer
// receives, fast user switching with at most N locked sessions, per-user view state, shutdown.
import { describe, expect, it } from 'vitest';
import { isSessionError } from './session-error.js';
import { sessionHarness, signInAs } from './test-helpers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('idle timeout and absolute limit', () => {
  it('locks an untouched session after 5 minutes, stops serving and tells the renderer to purge', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.clock.advance(5 * MINUTE - 1);
    expect(h.manager.current().active).not.toBeNull();
    h.clock.advance(1);
    // The timer alone did it: the renderer was told before anyone asked the manager anything.
    expect(h.purges).toEqual([{ sessionId: 's-1', userId: 'u-nurse-1' }]);
    expect(h.manager.current().active).toBeNull();
    expect(h.manager.current().status).toBe('locked');
    expect(h.sink.ofType('lock')).toEqual([{ type: 'lock', at: h.clock.now(), sessionId: 's-1', userId: 'u-nurse-1', reason: 'idle' }]);
  });

  it('keeps a session active while the user keeps working, measuring idle time from the last activity', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    for (let i = 0; i < 10; i += 1) {
      h.clock.advance(4 * MINUTE);
      h.manager.recordActivity();
    }
    expect(h.manager.current().status).toBe('active');
    expect(h.purges).toEqual([]);
    h.clock.advance(5 * MINUTE);
    expect(h.purges).toHaveLength(1);
    expect(h.manager.current().status).toBe('locked');
  });

  it('locks on time even if the timer never fired (a suspended laptop, a busy event loop)', async () => {
    const h = sessionHarness({ scheduler: { schedule: () => () => undefined } });
    await signInAs(h, 'nina');
    h.clock.advance(6 * MINUTE);
    expect(h.manager.current().active).toBeNull();
    expect(h.sink.ofType('lock')[0]).toMatchObject({ reason: 'idle', at: h.clock.now() - MINUTE });
  });

  it('ends a session at the 12-hour absolute limit however active the user is', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    const signedInAt = h.clock.now();
    while (h.clock.now() < signedInAt + 12 * HOUR - 4 * MINUTE) {
      h.clock.advance(4 * MINUTE);
      h.manager.recordActivity();
    }
    expect(h.manager.current().active).not.toBeNull();
    h.clock.advanceTo(signedInAt + 12 * HOUR);
    const snapshot = h.manager.current();
    expect(snapshot.status).toBe('expired');
    expect(snapshot.lastEnded).toMatchObject({ userId: 'u-nurse-1', reason: 'absolute-limit' });
    expect(h.sink.ofType('sign-out')).toEqual([
      { type: 'sign-out', at: signedInAt + 12 * HOUR, sessionId: 's-1', userId: 'u-nurse-1', reason: 'absolute-limit', byUser: false },
    ]);
    expect(h.purges).toHaveLength(1);
  });

  it('ends a locked session at its absolute limit too: it cannot be resumed after', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    h.clock.advance(12 * HOUR);
    expect(h.manager.current().status).toBe('expired');
    try {
      await h.manager.unlockWithPassword('u-nurse-1', h.hub.account('nina').password);
      expect.unreachable('an expired session resumed');
    } catch (error) {
      expect(isSessionError(error, 'NO_LOCKED_SESSION')).toBe(true);
    }
  });

  it('signs out a session locked longer than the policy allows, when the policy sets a limit', async () => {
    const h = sessionHarness({ policy: { lockedSessionTimeoutMs: 30 * MINUTE } });
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    h.clock.advance(30 * MINUTE);
    expect(h.manager.current().status).toBe('expired');
    expect(h.sink.ofType('sign-out')[0]).toMatchObject({ reason: 'timeout', byUser: false });
  });
});

describe('OS, manual and shortcut locks', () => {
  it('locks at once when the OS locks the screen or the machine suspends, and stays locked on resume', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.power.emit('lock-screen');
    expect(h.manager.current().active).toBeNull();
    h.power.emit('unlock-screen');
    expect(h.manager.current().active).toBeNull();
    await h.manager.unlockWithPassword('u-nurse-1', h.hub.account('nina').password);
    h.power.emit('suspend');
    expect(h.manager.current().active).toBeNull();
    h.power.emit('resume');
    expect(h.manager.current().status).toBe('locked');
    expect(h.sink.ofType('lock').map((e) => e.reason)).toEqual(['os-lock', 'suspend']);
  });

  it('purges the renderer synchronously inside lock(), before it returns', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    let servingWhenPurged: boolean | null = null;
    h.manager.onRendererPurge(() => {
      servingWhenPurged = h.manager.current().active !== null;
    });
    const generation = h.manager.servingGeneration();
    h.manager.lock('manual');
    expect(servingWhenPurged).toBe(false);
    expect(h.manager.servingGeneration()).not.toBe(generation);
  });

  it('keeps locking even when the audit sink or a listener throws', async () => {
    const h = sessionHarness({
      events: {
        record: () => {
          throw new Error('audit disk full');
        },
      },
    });
    h.manager.onRendererPurge(() => {
      throw new Error('renderer gone');
    });
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    expect(h.manager.current().active).toBeNull();
  });
});

describe('fast user switching', () => {
  it('lets a second nurse sign in from the lock screen while the first session waits, and audits the switch', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    await signInAs(h, 'noor');
    const snapshot = h.manager.current();
    expect(snapshot.active?.userId).toBe('u-nurse-2');
    expect(snapshot.locked.map((s) => s.userId)).toEqual(['u-nurse-1']);
    expect(h.sink.ofType('switch')).toEqual([
      { type: 'switch', at: h.clock.now(), fromUserId: 'u-nurse-1', toUserId: 'u-nurse-2', toSessionId: 's-2' },
    ]);
    h.manager.lock('manual');
    await h.manager.unlockWithPassword('u-nurse-1', h.hub.account('nina').password);
    expect(h.manager.current().active?.sessionId).toBe('s-1');
  });

  it('locks the active session ("switch") when another user signs in over it', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    await signInAs(h, 'paul');
    expect(h.manager.current().locked.map((s) => s.userId)).toEqual(['u-nurse-1']);
    expect(h.sink.ofType('lock')).toEqual([expect.objectContaining({ userId: 'u-nurse-1', reason: 'switch' })]);
    expect(h.purges).toEqual([{ sessionId: 's-1', userId: 'u-nurse-1' }]);
  });

  it("resumes the user's own locked session when they sign in again with their password", async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    const again = await signInAs(h, 'nina');
    expect(again.resumed).toBe(true);
    expect(again.snapshot.active?.sessionId).toBe('s-1');
    expect(again.snapshot.locked).toEqual([]);
  });

  it('keeps at most 4 locked sessions: locking a fifth signs out the one locked longest ago', async () => {
    const h = sessionHarness();
    const names = ['nina', 'noor', 'paul', 'carla', 'adam'];
    for (const name of names) {
      await signInAs(h, name);
      h.clock.advance(MINUTE);
      h.manager.lock('manual');
    }
    const snapshot = h.manager.current();
    expect(snapshot.locked.map((s) => s.username)).toEqual(['adam', 'carla', 'paul', 'noor']);
    expect(h.sink.ofType('sign-out')).toEqual([expect.objectContaining({ userId: 'u-nurse-1', reason: 'evicted', byUser: false })]);
  });

  it('follows a smaller limit from the policy', async () => {
    const h = sessionHarness({ policy: { maxLockedSessions: 1 } });
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    await signInAs(h, 'noor');
    h.manager.lock('manual');
    expect(h.manager.current().locked.map((s) => s.username)).toEqual(['noor']);
  });
});

describe('signing out and shutting down', () => {
  it('signs the user out, drops their tokens, and records that the user did it', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.signOut();
    expect(h.manager.current().status).toBe('signed-out');
    await expect(h.manager.hubUserToken()).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
    expect(h.sink.ofType('sign-out')).toEqual([
      { type: 'sign-out', at: h.clock.now(), sessionId: 's-1', userId: 'u-nurse-1', reason: 'user', byUser: true },
    ]);
  });

  it('signs everybody out on close, stops listening to the OS and leaves no timer behind', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    await signInAs(h, 'noor');
    h.manager.close();
    expect(h.sink.ofType('sign-out').map((e) => [e.userId, e.reason])).toEqual([
      ['u-nurse-2', 'shutdown'],
      ['u-nurse-1', 'shutdown'],
    ]);
    expect(h.power.subscriberCount()).toBe(0);
    expect(h.clock.pendingTasks()).toBe(0);
    expect(() => h.manager.lock('manual')).toThrow(/shut down/);
  });
});
