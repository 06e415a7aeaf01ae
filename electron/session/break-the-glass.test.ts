// Break-the-glass: a coded reason and a real justification are required; the grant expires by
// itself; start and stop events reach the audit sink; the grant dies with the session.
import { describe, expect, it } from 'vitest';
import { BTG_REASONS } from '../../shared/access/index.js';
import { BreakTheGlassRegistry } from './break-the-glass.js';
import { isSessionError } from './session-error.js';
import { sessionHarness, signInAs } from './test-helpers.js';

const MINUTE = 60_000;
const T0 = 1_736_150_400_000;
const request = {
  sessionId: 's-1',
  userId: 'u-phys-1',
  patientId: 'p-42',
  reasonCode: 'ETREAT',
  reasonText: 'Patient deteriorating, rapid response called',
};

describe('the break-the-glass registry', () => {
  it('grants access for 30 minutes and emits a start event with the reason', () => {
    const btg = new BreakTheGlassRegistry(30 * MINUTE);
    const { grant, events } = btg.start(request, T0);
    expect(grant).toMatchObject({ userId: 'u-phys-1', patientId: 'p-42', reasonCode: 'ETREAT', expiresAt: T0 + 30 * MINUTE });
    expect(events).toEqual([
      {
        type: 'btg-start',
        at: T0,
        sessionId: 's-1',
        userId: 'u-phys-1',
        patientId: 'p-42',
        reasonCode: 'ETREAT',
        reasonText: request.reasonText,
        expiresAt: T0 + 30 * MINUTE,
      },
    ]);
    expect(btg.isGranted('u-phys-1', 'p-42', T0 + 30 * MINUTE - 1)).toBe(true);
    expect(btg.isGranted('u-phys-1', 'p-42', T0 + 30 * MINUTE)).toBe(false);
    expect(btg.isGranted('u-phys-1', 'p-43', T0)).toBe(false);
    expect(btg.isGranted('u-nurse-1', 'p-42', T0)).toBe(false);
  });

  it.each([
    ['an unknown reason code', { reasonCode: 'CURIOUS' }],
    ['an empty justification', { reasonText: '' }],
    ['a justification of a few characters', { reasonText: '  asdf   ' }],
    ['a justification over 500 characters', { reasonText: 'x'.repeat(501) }],
  ])('refuses %s', (_label, change) => {
    const btg = new BreakTheGlassRegistry(30 * MINUTE);
    expect(() => btg.start({ ...request, ...change }, T0)).toThrow(expect.objectContaining({ code: 'BTG_REASON_INVALID' }));
    expect(btg.isGranted('u-phys-1', 'p-42', T0)).toBe(false);
  });

  it('offers coded reasons from HL7 v3 ActReason', () => {
    expect(BTG_REASONS.map((r) => r.code)).toEqual(['ETREAT', 'COC', 'TREAT']);
  });

  it('expires grants with an "expired" stop event at their expiry time', () => {
    const btg = new BreakTheGlassRegistry(30 * MINUTE);
    btg.start(request, T0);
    expect(btg.expire(T0 + 29 * MINUTE)).toEqual([]);
    expect(btg.expire(T0 + 45 * MINUTE)).toEqual([
      { type: 'btg-stop', at: T0 + 30 * MINUTE, sessionId: 's-1', userId: 'u-phys-1', patientId: 'p-42', reason: 'expired' },
    ]);
    expect(btg.nextExpiry()).toBeNull();
  });

  it('ends a grant early with an "ended" stop event, and a renewal stops the old grant first', () => {
    const btg = new BreakTheGlassRegistry(30 * MINUTE);
    btg.start(request, T0);
    const renewal = btg.start({ ...request, reasonCode: 'COC' }, T0 + 10 * MINUTE);
    expect(renewal.events.map((e) => e.type)).toEqual(['btg-stop', 'btg-start']);
    expect(btg.stop('u-phys-1', 'p-42', T0 + 11 * MINUTE)).toEqual([
      { type: 'btg-stop', at: T0 + 11 * MINUTE, sessionId: 's-1', userId: 'u-phys-1', patientId: 'p-42', reason: 'ended' },
    ]);
    expect(btg.isGranted('u-phys-1', 'p-42', T0 + 12 * MINUTE)).toBe(false);
  });
});

describe('break-the-glass in a session', () => {
  it('expires on the fake clock and emits start and stop events to the audit sink', async () => {
    const h = sessionHarness();
    await signInAs(h, 'paul');
    const start = h.clock.now();
    h.manager.startBreakTheGlass('p-42', 'ETREAT', 'Covering for the cardiology registrar tonight');
    expect(h.manager.isBreakTheGlassGranted('u-phys-1', 'p-42')).toBe(true);
    for (let i = 0; i < 7; i += 1) {
      h.clock.advance(4 * MINUTE);
      h.manager.recordActivity();
    }
    expect(h.manager.isBreakTheGlassGranted('u-phys-1', 'p-42')).toBe(true);
    h.clock.advance(2 * MINUTE);
    h.manager.recordActivity();
    expect(h.manager.isBreakTheGlassGranted('u-phys-1', 'p-42')).toBe(false);
    expect(h.sink.ofType('btg-start')).toEqual([
      expect.objectContaining({ userId: 'u-phys-1', patientId: 'p-42', reasonCode: 'ETREAT', expiresAt: start + 30 * MINUTE }),
    ]);
    expect(h.sink.ofType('btg-stop')).toEqual([
      { type: 'btg-stop', at: start + 30 * MINUTE, sessionId: 's-1', userId: 'u-phys-1', patientId: 'p-42', reason: 'expired' },
    ]);
  });

  it("follows the policy's duration", async () => {
    const h = sessionHarness({ policy: { breakTheGlassMs: 10 * MINUTE } });
    await signInAs(h, 'paul');
    expect(h.manager.startBreakTheGlass('p-42', 'TREAT', 'Asked to review by the ward team').expiresAt).toBe(h.clock.now() + 10 * MINUTE);
  });

  it('ends the grants when the user signs out', async () => {
    const h = sessionHarness();
    await signInAs(h, 'paul');
    h.manager.startBreakTheGlass('p-42', 'ETREAT', 'Patient deteriorating, rapid response called');
    h.manager.signOut();
    expect(h.sink.ofType('btg-stop')).toEqual([expect.objectContaining({ patientId: 'p-42', reason: 'ended' })]);
    expect(h.manager.isBreakTheGlassGranted('u-phys-1', 'p-42')).toBe(false);
  });

  it('is refused to a clerk, and to nobody signed in', async () => {
    const h = sessionHarness();
    expect(() => h.manager.startBreakTheGlass('p-42', 'ETREAT', 'Patient deteriorating, rapid response called')).toThrow(
      expect.objectContaining({ code: 'NOT_SIGNED_IN' }),
    );
    await signInAs(h, 'carla');
    try {
      h.manager.startBreakTheGlass('p-42', 'ETREAT', 'Patient deteriorating, rapid response called');
      expect.unreachable();
    } catch (error) {
      expect(isSessionError(error, 'FORBIDDEN')).toBe(true);
    }
    expect(h.sink.ofType('btg-start')).toEqual([]);
  });
});
