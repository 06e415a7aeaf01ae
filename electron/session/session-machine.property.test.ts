// Property tests of the pure lock state machine over random event sequences on a fake timeline:
// never active past the idle timeout or the absolute limit, no patient data while locked (and a
// purge on every stop), only the owner resumes a locked session, a PIN lockout holds, N locked max.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PowerEventKind } from './power-events.js';
import type { LockReason } from './session-events.js';
import {
  activeSession,
  initialSessionState,
  isServing,
  lockedSessions,
  reduceSession,
  type MachineEvent,
  type MachineState,
} from './session-machine.js';
import { resolveSessionPolicy } from './session-policy.js';
import type { SessionUser } from './session-user.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2025, 0, 6, 7, 0, 0);

const USERS: SessionUser[] = ['u1', 'u2', 'u3', 'u4'].map((id, i) => ({
  userId: id,
  username: `user${i}`,
  role: i % 2 === 0 ? 'nurse' : 'physician',
  wards: ['ward-7'],
}));

const userArb = fc.constantFrom(...USERS);
const userIdArb = userArb.map((u) => u.userId);

/** Events without session ids (given while replaying, so every sign-in has a fresh one). */
type EventTemplate = MachineEvent | { readonly type: 'signedIn-template'; readonly user: SessionUser; readonly mode: 'online' | 'offline' };

const eventArb: fc.Arbitrary<EventTemplate> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('signedIn-template' as const),
      user: userArb,
      mode: fc.constantFrom('online' as const, 'offline' as const),
    }),
  },
  { weight: 6, arbitrary: fc.constant({ type: 'activity' } as const) },
  { weight: 2, arbitrary: fc.constant({ type: 'tick' } as const) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('lockRequested' as const),
      reason: fc.constantFrom<LockReason>('manual', 'idle', 'os-lock', 'suspend'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('powerEvent' as const),
      kind: fc.constantFrom<PowerEventKind>('lock-screen', 'suspend', 'resume', 'unlock-screen'),
    }),
  },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('pinOk' as const), userId: userIdArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('pinFailed' as const),
      userId: userIdArb,
      failures: fc.integer({ min: 1, max: 5 }),
      lockedOut: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('passwordOk' as const), userId: userIdArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('passwordFailed' as const), userId: userIdArb, failures: fc.integer({ min: 1, max: 9 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'switchUser' } as const) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('signOut' as const), userId: userIdArb }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('credentialsRevoked' as const), userId: userIdArb }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('pinSet' as const), userId: userIdArb }) },
);

const advanceArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 6 * MINUTE }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 13 * HOUR }) },
);

const stepsArb = fc.array(fc.record({ advance: advanceArb, event: eventArb }), { minLength: 1, maxLength: 60 });

const policyArb = fc.record({
  idleTimeoutMs: fc.constantFrom(60_000, 5 * MINUTE, 15 * MINUTE),
  absoluteLimitMs: fc.constantFrom(30 * MINUTE, 4 * HOUR, 12 * HOUR),
  maxLockedSessions: fc.integer({ min: 0, max: 4 }),
  lockedSessionTimeoutMs: fc.constantFrom(null, 20 * MINUTE),
});

const ACTIVATING = new Set(['signedIn', 'pinOk', 'passwordOk']);

describe('the lock state machine, over random event sequences', () => {
  it('upholds every session invariant after every step', () => {
    fc.assert(
      fc.property(policyArb, stepsArb, (policyOverrides, steps) => {
        const policy = resolveSessionPolicy(policyOverrides);
        let state: MachineState = initialSessionState(policy, T0);
        let now = T0;
        let nextId = 1;
        /** Sign-in time per session id, recorded by the test itself (not read from the machine). */
        const signedInAt = new Map<string, number>();
        /** Users whose PIN is locked out for their current session, as the events said. */
        const pinLocked = new Set<string>();

        for (const { advance, event: template } of steps) {
          now += advance;
          const event: MachineEvent =
            template.type === 'signedIn-template'
              ? { type: 'signedIn', sessionId: `s${nextId++}`, user: template.user, mode: template.mode }
              : template;
          const before = state;
          const activeBefore = activeSession(before);
          const { state: after, effects } = reduceSession(before, event, now);
          state = after;
          const activeAfter = activeSession(after);

          // Bookkeeping of the test's own model.
          // A sign-in that created a session (rather than resumed one) carries the new session's id.
          if (event.type === 'signedIn' && after.sessions.some((s) => s.sessionId === event.sessionId))
            signedInAt.set(event.sessionId, now);
          for (const s of before.sessions) {
            if (!after.sessions.some((a) => a.sessionId === s.sessionId)) pinLocked.delete(s.user.userId);
          }
          if (
            event.type === 'pinFailed' &&
            event.lockedOut &&
            before.sessions.some((s) => s.user.userId === event.userId && s.status === 'locked')
          )
            pinLocked.add(event.userId);
          if ((event.type === 'passwordOk' || event.type === 'signedIn') && activeAfter !== null) pinLocked.delete(activeAfter.user.userId);

          // At most one active session, at most N locked.
          expect(after.sessions.filter((s) => s.status === 'active').length).toBeLessThanOrEqual(1);
          expect(lockedSessions(after).length).toBeLessThanOrEqual(policy.maxLockedSessions);
          expect(new Set(after.sessions.map((s) => s.user.userId)).size).toBe(after.sessions.length);

          // Never alive past the absolute limit (measured from the sign-in the test saw).
          for (const s of after.sessions) {
            const start = signedInAt.get(s.sessionId);
            expect(start).toBeDefined();
            expect(now - start!).toBeLessThan(policy.absoluteLimitMs);
          }

          // Never active across an idle gap: after time passed ≥ idle timeout, only an activating event makes anyone active.
          if (advance >= policy.idleTimeoutMs && !ACTIVATING.has(event.type)) expect(activeAfter).toBeNull();
          if (activeAfter !== null) expect(now - activeAfter.lastActivityAt).toBeLessThan(policy.idleTimeoutMs);

          // Not serving ⇔ no active session; every stop of a served session is a stopServing + purge for it.
          expect(isServing(after)).toBe(activeAfter !== null);
          if (activeBefore !== null && activeAfter?.sessionId !== activeBefore.sessionId) {
            expect(effects).toContainEqual({ type: 'stopServing', sessionId: activeBefore.sessionId, userId: activeBefore.user.userId });
            expect(effects).toContainEqual({ type: 'purgeRenderer', sessionId: activeBefore.sessionId, userId: activeBefore.user.userId });
            const stopAt = effects.findIndex((e) => e.type === 'stopServing');
            const activatedAt = effects.findIndex((e) => e.type === 'activated');
            if (activatedAt >= 0) expect(stopAt).toBeLessThan(activatedAt);
          }
          for (const e of effects) {
            if (e.type === 'purgeRenderer') expect(e.sessionId).toBe(activeBefore?.sessionId);
          }

          // Only the owner resumes: a session locked before and active after was resumed by its own user's credentials.
          if (activeAfter !== null) {
            const was = before.sessions.find((s) => s.sessionId === activeAfter.sessionId);
            if (was !== undefined && was.status === 'locked') {
              expect(ACTIVATING.has(event.type)).toBe(true);
              const actor = event.type === 'signedIn' ? event.user.userId : (event as { userId: string }).userId;
              expect(actor).toBe(activeAfter.user.userId);
              if (event.type === 'pinOk') expect(was.pinLockedOut).toBe(false);
            }
          }

          // A PIN lockout holds until the password is used.
          for (const s of after.sessions) {
            if (pinLocked.has(s.user.userId) && s.status === 'locked') expect(s.pinLockedOut).toBe(true);
          }
          if (event.type === 'pinOk' && pinLocked.has(event.userId)) {
            expect(activeAfter?.user.userId === event.userId && activeBefore?.user.userId !== event.userId).toBe(false);
          }

          // Every lock and every ending is audited.
          const locksAudited = effects.filter((e) => e.type === 'audit' && e.event.type === 'lock').length;
          const endsAudited = effects.filter((e) => e.type === 'audit' && e.event.type === 'sign-out').length;
          const ended = effects.filter((e) => e.type === 'sessionEnded').length;
          expect(endsAudited).toBe(ended);
          const newlyLocked = after.sessions.filter(
            (s) => s.status === 'locked' && before.sessions.find((b) => b.sessionId === s.sessionId)?.status === 'active',
          ).length;
          expect(locksAudited).toBeGreaterThanOrEqual(newlyLocked);
        }
      }),
      { numRuns: 600, seed: 20261206 },
    );
  });

  it("keeps a PIN-locked-out session closed to every PIN until the owner's password", () => {
    const policy = resolveSessionPolicy({ maxLockedSessions: 4 });
    const owner = USERS[0]!;
    const other = USERS[1]!;
    const stepArb = fc.oneof(
      fc.constant<MachineEvent>({ type: 'pinOk', userId: owner.userId }),
      fc.constant<MachineEvent>({ type: 'pinFailed', userId: owner.userId, failures: 5, lockedOut: true }),
      fc.constant<MachineEvent>({ type: 'activity' }),
      fc.constant<MachineEvent>({ type: 'tick' }),
      fc.constant<MachineEvent>({ type: 'passwordOk', userId: other.userId }),
      fc.constant<MachineEvent>({ type: 'pinOk', userId: other.userId }),
      fc.constant<MachineEvent>({ type: 'signedIn', sessionId: 'other', user: other, mode: 'online' }),
      fc.constant<MachineEvent>({ type: 'lockRequested', reason: 'manual' }),
    );
    fc.assert(
      fc.property(fc.array(fc.record({ advance: fc.integer({ min: 0, max: MINUTE }), event: stepArb }), { maxLength: 40 }), (steps) => {
        let now = T0;
        let { state } = reduceSession(
          initialSessionState(policy, T0),
          { type: 'signedIn', sessionId: 'mine', user: owner, mode: 'online' },
          now,
        );
        ({ state } = reduceSession(state, { type: 'lockRequested', reason: 'manual' }, now));
        ({ state } = reduceSession(state, { type: 'pinFailed', userId: owner.userId, failures: 5, lockedOut: true }, now));
        for (const { advance, event } of steps) {
          now += advance;
          ({ state } = reduceSession(state, event, now));
          expect(activeSession(state)?.user.userId).not.toBe(owner.userId);
        }
        ({ state } = reduceSession(state, { type: 'passwordOk', userId: owner.userId }, now));
        expect(activeSession(state)?.user.userId).toBe(owner.userId);
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });

  it('never lets time run backwards: an earlier `now` does not postpone a deadline', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 * HOUR }), (back) => {
        const policy = resolveSessionPolicy();
        let { state } = reduceSession(
          initialSessionState(policy, T0),
          { type: 'signedIn', sessionId: 's1', user: USERS[0]!, mode: 'online' },
          T0,
        );
        ({ state } = reduceSession(state, { type: 'tick' }, T0 + policy.idleTimeoutMs));
        expect(isServing(state)).toBe(false);
        ({ state } = reduceSession(state, { type: 'activity' }, T0 + policy.idleTimeoutMs - back));
        expect(isServing(state)).toBe(false);
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });
});
