// Property tests of the SessionManager itself (real argon2id at low cost, the fake clock driving
// its timers, the controllable power events): random sequences of what people and the OS do at a
// ward workstation, checked after every step against the test's own model of the rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guard } from './guard.js';
import type { PowerEventKind } from './power-events.js';
import { isSessionError } from './session-error.js';
import { sessionHarness } from './test-helpers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NAMES = ['nina', 'noor', 'paul', 'carla'] as const;
const who = fc.integer({ min: 0, max: NAMES.length - 1 });
/** A user, or -1: whoever is first on the lock screen (so unlock attempts often hit a locked session). */
const target = fc.oneof(who, fc.constant(-1), fc.constant(-1));

type Op =
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'activity' }
  | { readonly kind: 'lock' }
  | { readonly kind: 'power'; readonly event: PowerEventKind }
  | { readonly kind: 'signIn'; readonly user: number; readonly rightPassword: boolean; readonly offline: boolean }
  | { readonly kind: 'unlockPin'; readonly target: number; readonly typedBy: number; readonly garbled: boolean }
  /** Someone at the lock screen trying several PINs in a row on one session. */
  | { readonly kind: 'guessPins'; readonly target: number; readonly guesses: readonly number[] }
  | { readonly kind: 'unlockPassword'; readonly target: number; readonly typedBy: number }
  | { readonly kind: 'setPin' }
  | { readonly kind: 'signOut' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 6 * MINUTE }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 13 * HOUR }) },
      ),
    }),
  },
  { weight: 4, arbitrary: fc.constant({ kind: 'activity' } as const) },
  { weight: 2, arbitrary: fc.constant({ kind: 'lock' } as const) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('power' as const),
      event: fc.constantFrom<PowerEventKind>('lock-screen', 'suspend', 'resume', 'unlock-screen'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('signIn' as const),
      user: who,
      rightPassword: fc.constantFrom(true, true, true, false),
      offline: fc.boolean(),
    }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('unlockPin' as const), target, typedBy: who, garbled: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('guessPins' as const), target, guesses: fc.array(who, { minLength: 3, maxLength: 7 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unlockPassword' as const), target, typedBy: who }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'setPin' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'signOut' } as const) },
);

function resolveTarget(target: number, locked: readonly { username: string }[]): number {
  if (target >= 0) return target;
  const first = locked[0];
  return first === undefined ? 0 : NAMES.indexOf(first.username as (typeof NAMES)[number]);
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (isSessionError(error)) return error.code;
    throw error;
  }
}

/** What the test itself believes, built only from what it did and saw. */
interface Model {
  /** Last moment someone interacted with each session (sign-in, unlock, activity while it was active). */
  readonly touchedAt: Map<string, number>;
  /** When each session was first seen active. */
  readonly startedAt: Map<string, number>;
  readonly hasPin: Set<string>;
  /** Wrong PINs in a row per user. */
  readonly wrongPins: Map<string, number>;
}

describe('the session manager, over random ward-workstation sequences', () => {
  it('never serves past the idle timeout or the absolute limit, purges on every stop, lets only the owner resume, and locks the PIN out at 5', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
        const h = sessionHarness();
        const policy = h.manager.policy;
        const model: Model = { touchedAt: new Map(), startedAt: new Map(), hasPin: new Set(), wrongPins: new Map() };
        const userId = (i: number): string => h.hub.account(NAMES[i]!).userId;
        const account = (i: number) => h.hub.account(NAMES[i]!);
        // Seed: everybody signed in once online and set a PIN, so offline sign-in and PIN unlock have verifiers to use.
        for (const name of NAMES) {
          await h.manager.signInOnline(name, h.hub.account(name).password);
          await h.manager.setPin(h.hub.account(name).pin);
          model.hasPin.add(h.hub.account(name).userId);
          h.manager.signOut();
        }
        // Start mid-shift: Nina's session waits on the lock screen, Noor is working.
        for (const i of [0, 1]) {
          await h.manager.signInOnline(NAMES[i]!, account(i).password);
          const s = h.manager.current().active!;
          model.touchedAt.set(s.sessionId, h.clock.now());
          model.startedAt.set(s.sessionId, h.clock.now());
          h.manager.lock('manual');
        }
        await h.manager.unlockWithPin(userId(1), account(1).pin);
        model.touchedAt.set(h.manager.current().active!.sessionId, h.clock.now());
        h.purges.length = 0;

        /** One PIN attempt on `targetArg`'s session with `typedBy`'s PIN (null: a garbled entry), checked against the model. */
        const tryPin = async (targetArg: number, typedBy: number | null): Promise<void> => {
          const locked = h.manager.current().locked;
          const targetIndex = resolveTarget(targetArg, locked);
          const target = userId(targetIndex);
          const typed = typedBy === null ? '99x' : account(typedBy).pin;
          const targetLocked = locked.some((s) => s.userId === target);
          const wrongBefore = model.wrongPins.get(target) ?? 0;
          const result = await outcome(h.manager.unlockWithPin(target, typed));
          const rightPin = typedBy === targetIndex;
          if (result === 'OK') {
            // Only the owner's own PIN, on the owner's own locked session, before a lockout.
            expect(rightPin).toBe(true);
            expect(targetLocked).toBe(true);
            expect(wrongBefore).toBeLessThan(5);
            expect(h.manager.current().active?.userId).toBe(target);
            model.touchedAt.set(h.manager.current().active!.sessionId, h.clock.now());
            model.wrongPins.set(target, 0);
          } else if (!targetLocked) {
            expect(result).toBe('NO_LOCKED_SESSION');
          } else if (!model.hasPin.has(target)) {
            expect(result).toBe('PIN_NOT_SET');
          } else if (wrongBefore >= 5) {
            expect(result).toBe('PIN_LOCKED_OUT');
          } else {
            expect(rightPin).toBe(false);
            model.wrongPins.set(target, wrongBefore + 1);
            expect(result).toBe(wrongBefore + 1 >= 5 ? 'PIN_LOCKED_OUT' : 'WRONG_PIN');
          }
        };

        for (const op of ops) {
          const before = h.manager.current();
          const activeBefore = before.active;
          const purgesBefore = h.purges.length;
          const now = (): number => h.clock.now();
          switch (op.kind) {
            case 'advance':
              h.clock.advance(op.ms);
              break;
            case 'activity':
              h.manager.recordActivity();
              if (activeBefore !== null && h.manager.current().active?.sessionId === activeBefore.sessionId)
                model.touchedAt.set(activeBefore.sessionId, now());
              break;
            case 'lock':
              h.manager.lock('manual');
              break;
            case 'power':
              h.power.emit(op.event);
              break;
            case 'signIn': {
              const a = account(op.user);
              const password = op.rightPassword ? a.password : `${a.password}x`;
              h.hub.reachable = !op.offline;
              const result = await outcome(h.manager.signInOnline(a.username, password));
              if (result === 'OK') {
                expect(op.rightPassword).toBe(true);
                const active = h.manager.current().active!;
                expect(active.userId).toBe(a.userId);
                model.touchedAt.set(active.sessionId, now());
                model.wrongPins.set(a.userId, 0);
              } else {
                expect(result).toBe('BAD_CREDENTIALS');
                expect(op.rightPassword).toBe(false);
              }
              break;
            }
            case 'unlockPin':
              await tryPin(op.target, op.garbled ? null : op.typedBy);
              break;
            case 'guessPins':
              for (const typedBy of op.guesses) await tryPin(op.target, typedBy);
              break;
            case 'unlockPassword': {
              const targetIndex = resolveTarget(op.target, before.locked);
              const target = userId(targetIndex);
              const targetLocked = before.locked.some((s) => s.userId === target);
              const result = await outcome(h.manager.unlockWithPassword(target, account(op.typedBy).password));
              if (result === 'OK') {
                expect(op.typedBy).toBe(targetIndex);
                expect(targetLocked).toBe(true);
                model.touchedAt.set(h.manager.current().active!.sessionId, now());
                model.wrongPins.set(target, 0);
              } else {
                expect(result).toBe(targetLocked ? 'BAD_CREDENTIALS' : 'NO_LOCKED_SESSION');
              }
              break;
            }
            case 'setPin': {
              if (activeBefore === null) {
                expect(await outcome(h.manager.setPin('2468'))).not.toBe('OK');
                break;
              }
              const a = h.hub.accounts.find((x) => x.userId === activeBefore.userId)!;
              if ((await outcome(h.manager.setPin(a.pin, a.password))) === 'OK') {
                model.hasPin.add(a.userId);
                model.wrongPins.set(a.userId, 0);
              }
              break;
            }
            case 'signOut':
              h.manager.signOut();
              break;
          }

          const after = h.manager.current();
          const serving = after.active !== null;
          if (after.active !== null && !model.startedAt.has(after.active.sessionId)) model.startedAt.set(after.active.sessionId, now());

          // Serving ⇔ a session is active; never past the idle timeout or the absolute limit, by the test's own clock.
          expect(serving).toBe(after.status === 'active');
          if (serving) {
            const id = after.active!.sessionId;
            expect(now() - model.touchedAt.get(id)!).toBeLessThan(policy.idleTimeoutMs);
            expect(now() - model.startedAt.get(id)!).toBeLessThan(policy.absoluteLimitMs);
          }
          for (const s of after.locked) {
            if (model.startedAt.has(s.sessionId)) expect(now() - model.startedAt.get(s.sessionId)!).toBeLessThan(policy.absoluteLimitMs);
          }
          expect(after.locked.length).toBeLessThanOrEqual(policy.maxLockedSessions);

          // No patient data while locked: the guard refuses, and the session that stopped was purged.
          if (!serving) {
            expect(() => guard(h.manager, { action: 'census:read' })).toThrow(
              expect.objectContaining({ code: after.status === 'locked' ? 'LOCKED' : 'NOT_SIGNED_IN' }),
            );
          }
          if (activeBefore !== null && after.active?.sessionId !== activeBefore.sessionId) {
            expect(h.purges.slice(purgesBefore)).toContainEqual({ sessionId: activeBefore.sessionId, userId: activeBefore.userId });
          }
        }
        h.manager.close();
      }),
      { numRuns: 200, seed: 20261206 },
    );
  });
});
