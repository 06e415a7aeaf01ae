// The lock state machine, by example: what each event does and which effects it asks for.
import { describe, expect, it } from 'vitest';
import { initialSessionState, nextDeadline, reduceSession, type MachineState } from './session-machine.js';
import { resolveSessionPolicy } from './session-policy.js';
import type { SessionUser } from './session-user.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 6, 8, 0, 0);
const nina: SessionUser = { userId: 'u1', username: 'nina', role: 'nurse', wards: ['ward-7'] };
const paul: SessionUser = { userId: 'u2', username: 'paul', role: 'physician', wards: ['ward-7'] };
const policy = resolveSessionPolicy();

function signedIn(user: SessionUser, sessionId: string, at = T0, state: MachineState = initialSessionState(policy, T0)) {
  return reduceSession(state, { type: 'signedIn', sessionId, user, mode: 'online' }, at);
}

describe('the lock state machine', () => {
  it('starts a session on sign-in: activated, audited, serving', () => {
    const { state, effects } = signedIn(nina, 's1');
    expect(state.sessions).toHaveLength(1);
    expect(effects).toEqual([
      { type: 'audit', event: { type: 'sign-in', at: T0, sessionId: 's1', userId: 'u1', mode: 'online', outcome: 'new-session' } },
      { type: 'activated', sessionId: 's1', userId: 'u1' },
    ]);
  });

  it('does not change the state it was given', () => {
    const first = signedIn(nina, 's1').state;
    const frozen = JSON.stringify(first);
    reduceSession(first, { type: 'lockRequested', reason: 'manual' }, T0 + 1);
    reduceSession(first, { type: 'tick' }, T0 + 60 * MINUTE);
    expect(JSON.stringify(first)).toBe(frozen);
  });

  it('stops serving and purges before it audits a lock', () => {
    const { state } = signedIn(nina, 's1');
    const { effects } = reduceSession(state, { type: 'lockRequested', reason: 'manual' }, T0 + MINUTE);
    expect(effects.map((e) => e.type)).toEqual(['stopServing', 'purgeRenderer', 'audit']);
  });

  it('applies the idle deadline at its own time, before the event that arrives late', () => {
    const { state } = signedIn(nina, 's1');
    const { state: after, effects } = reduceSession(state, { type: 'activity' }, T0 + 7 * MINUTE);
    expect(after.sessions[0]).toMatchObject({ status: 'locked', lockedAt: T0 + 5 * MINUTE, lockReason: 'idle' });
    expect(effects).toContainEqual({
      type: 'audit',
      event: { type: 'lock', at: T0 + 5 * MINUTE, sessionId: 's1', userId: 'u1', reason: 'idle' },
    });
  });

  it('says when it must next act: the idle deadline, then the absolute limit of a locked session', () => {
    const { state } = signedIn(nina, 's1');
    expect(nextDeadline(state)).toEqual({ at: T0 + 5 * MINUTE, sessionId: 's1', kind: 'idle' });
    const locked = reduceSession(state, { type: 'lockRequested', reason: 'manual' }, T0 + MINUTE).state;
    expect(nextDeadline(locked)).toEqual({ at: T0 + 12 * 60 * MINUTE, sessionId: 's1', kind: 'absolute-limit' });
    expect(nextDeadline(initialSessionState(policy))).toBeNull();
  });

  it('locks the active session ("switch") before another user\'s session becomes active, and audits the switch', () => {
    const { state } = signedIn(nina, 's1');
    const { state: after, effects } = signedIn(paul, 's2', T0 + MINUTE, state);
    expect(after.sessions.map((s) => [s.user.userId, s.status])).toEqual([
      ['u1', 'locked'],
      ['u2', 'active'],
    ]);
    expect(effects.map((e) => (e.type === 'audit' ? e.event.type : e.type))).toEqual([
      'stopServing',
      'purgeRenderer',
      'lock',
      'sign-in',
      'switch',
      'activated',
    ]);
  });

  it('ignores a PIN success for a session that is not locked, or whose PIN is locked out', () => {
    const { state } = signedIn(nina, 's1');
    expect(reduceSession(state, { type: 'pinOk', userId: 'u2' }, T0).effects).toEqual([]);
    const locked = reduceSession(state, { type: 'lockRequested', reason: 'manual' }, T0).state;
    const out = reduceSession(locked, { type: 'pinFailed', userId: 'u1', failures: 5, lockedOut: true }, T0);
    expect(out.effects.map((e) => (e.type === 'audit' ? e.event.type : e.type))).toEqual(['unlock-failed', 'pin-lockout']);
    expect(reduceSession(out.state, { type: 'pinOk', userId: 'u1' }, T0).state.sessions[0]?.status).toBe('locked');
    expect(reduceSession(out.state, { type: 'passwordOk', userId: 'u1' }, T0).state.sessions[0]).toMatchObject({
      status: 'active',
      pinLockedOut: false,
    });
  });

  it('ignores resume and unlock-screen power events: they never unlock', () => {
    const { state } = signedIn(nina, 's1');
    const locked = reduceSession(state, { type: 'powerEvent', kind: 'suspend' }, T0).state;
    for (const kind of ['resume', 'unlock-screen'] as const) {
      expect(reduceSession(locked, { type: 'powerEvent', kind }, T0 + 1).state.sessions[0]?.status).toBe('locked');
    }
  });
});
