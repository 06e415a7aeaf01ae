// The guard in front of every host API: who is signed in, whether their role permits the action,
// whether the patient is in their ward scope, and break-the-glass for restricted or off-ward charts.
import { describe, expect, it } from 'vitest';
import { InMemoryCredentialStore } from './credential-store.js';
import { createVerifier } from './credential-hashing.js';
import { guard, type GuardRequest } from './guard.js';
import { isSessionError } from './session-error.js';
import { CHEAP_HASHING, sessionHarness, signInAs, TEST_WARD, type SessionHarness } from './test-helpers.js';

const onWard = { id: 'p-1', onWard: true, restricted: false };
const restricted = { id: 'p-2', onWard: true, restricted: true };
const offWard = { id: 'p-3', onWard: false, restricted: false };

function codeOf(h: SessionHarness, request: GuardRequest): string {
  try {
    guard(h.manager, request);
    return 'ALLOWED';
  } catch (error) {
    if (isSessionError(error)) return error.code;
    throw error;
  }
}

describe('the guard', () => {
  it('refuses everything when nobody is signed in, and after the session expired', async () => {
    const h = sessionHarness();
    expect(codeOf(h, { action: 'census:read' })).toBe('NOT_SIGNED_IN');
    await signInAs(h, 'nina');
    h.clock.advance(12 * 3_600_000);
    expect(codeOf(h, { action: 'census:read' })).toBe('NOT_SIGNED_IN');
  });

  it("refuses everything while the workstation is locked, including the locked user's own data", async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    expect(codeOf(h, { action: 'census:read' })).toBe('LOCKED');
    expect(codeOf(h, { action: 'category:read:vital-signs', patient: onWard })).toBe('LOCKED');
  });

  it("answers with the user's context when allowed", async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    expect(guard(h.manager, { action: 'category:read:medication', patient: onWard })).toEqual({
      sessionId: 's-1',
      userId: 'u-nurse-1',
      username: 'nina',
      role: 'nurse',
      scope: [TEST_WARD],
      workstationWard: TEST_WARD,
      viaBreakTheGlass: false,
    });
  });

  it('refuses an action the role does not have (a clerk reading labs, an admin reading the census)', async () => {
    const h = sessionHarness();
    await signInAs(h, 'carla');
    expect(codeOf(h, { action: 'category:read:laboratory', patient: onWard })).toBe('FORBIDDEN');
    expect(codeOf(h, { action: 'category:read:demographics', patient: onWard })).toBe('ALLOWED');
    h.manager.signOut();
    await signInAs(h, 'adam');
    expect(codeOf(h, { action: 'census:read' })).toBe('FORBIDDEN');
    expect(codeOf(h, { action: 'audit:view' })).toBe('ALLOWED');
  });

  it('asks for break-the-glass for a restricted patient, then allows it under the grant', async () => {
    const h = sessionHarness();
    await signInAs(h, 'paul');
    expect(codeOf(h, { action: 'chart:read', patient: restricted })).toBe('BTG_REQUIRED');
    h.manager.startBreakTheGlass('p-2', 'ETREAT', 'Patient collapsed on the ward, resus in progress');
    expect(guard(h.manager, { action: 'chart:read', patient: restricted }).viaBreakTheGlass).toBe(true);
    expect(codeOf(h, { action: 'chart:read', patient: { ...restricted, id: 'p-9' } })).toBe('BTG_REQUIRED');
    h.clock.advance(30 * 60_000);
    h.manager.recordActivity();
    expect(codeOf(h, { action: 'chart:read', patient: restricted })).toBe('LOCKED');
  });

  it('asks for break-the-glass for a patient off this ward fetched from the hub', async () => {
    const h = sessionHarness();
    await signInAs(h, 'nina');
    expect(codeOf(h, { action: 'chart:read', patient: offWard })).toBe('BTG_REQUIRED');
    h.manager.startBreakTheGlass('p-3', 'COC', 'Transferred to us tonight, chart not yet here');
    expect(codeOf(h, { action: 'category:read:allergies', patient: offWard })).toBe('ALLOWED');
  });

  it('does not let break-the-glass lift the role: a grant never lets a physician document vital signs', async () => {
    const h = sessionHarness();
    await signInAs(h, 'paul');
    h.manager.startBreakTheGlass('p-2', 'ETREAT', 'Patient collapsed on the ward, resus in progress');
    expect(codeOf(h, { action: 'document:vital-signs', patient: restricted })).toBe('FORBIDDEN');
  });

  it('refuses a clerk a restricted chart outright (no emergency access for the role) and an off-ward one as out of scope', async () => {
    const h = sessionHarness();
    await signInAs(h, 'carla');
    expect(codeOf(h, { action: 'category:read:demographics', patient: restricted })).toBe('FORBIDDEN');
    expect(codeOf(h, { action: 'category:read:demographics', patient: offWard })).toBe('OUT_OF_SCOPE');
  });

  it("refuses the census to a user whose wards do not include this workstation's ward", async () => {
    const store = new InMemoryCredentialStore();
    const h = sessionHarness({ credentials: store });
    const vera = h.hub.account('vera');
    await store.put({
      userId: vera.userId,
      username: vera.username,
      role: vera.role,
      wards: vera.wards,
      credentialStamp: vera.credentialStamp,
      mfaRequired: false,
      totpSecret: null,
      totpLastStep: null,
      passwordVerifier: await createVerifier(vera.password, CHEAP_HASHING.password),
      verifiedAt: h.clock.now(),
      pinVerifier: null,
      pinSetAt: null,
      pinFailures: 0,
    });
    h.hub.reachable = false; // offline sign-in is for when the hub cannot be reached
    await h.manager.signInOffline('vera', vera.password);
    expect(h.manager.current().active?.scope).toEqual([]);
    expect(codeOf(h, { action: 'census:read' })).toBe('OUT_OF_SCOPE');
    expect(codeOf(h, { action: 'chart:read', patient: onWard })).toBe('BTG_REQUIRED');
  });
});
