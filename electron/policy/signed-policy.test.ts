import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/json/index.js';
import { generateSigningKeyPair, signDetached, signingKeyFromPem, trustedKeyFromPem } from './ed25519-keys.js';
import { syncPolicyOf } from './room-policies.js';
import { signPolicy, verifyPolicyText } from './signed-policy.js';
import { examplePolicyDraft, testOrganisation } from './test-helpers.js';

/** Signs exactly `policy` with the organisation key, bypassing signPolicy's checks (a careless or hostile signing tool). */
function rawSigned(org: ReturnType<typeof testOrganisation>, policy: unknown): string {
  const value = signDetached('wardline-policy/1', canonicalJson(policy), signingKeyFromPem(org.pair.privateKeyPem));
  return JSON.stringify({ wardlinePolicy: 1, policy, signature: { algorithm: 'Ed25519', keyId: org.pair.keyId, value } });
}

describe('the signed machine policy', () => {
  it('accepts a policy signed with a trusted key and hands the settings to the host in ms', () => {
    const org = testOrganisation();
    const draft = examplePolicyDraft();
    const policy = verifyPolicyText(org.sign(draft), [org.trusted]);
    expect(policy).toMatchObject({
      hubUrl: 'https://hub.hospital.example',
      pins: (draft.hub as { pins: string[] }).pins,
      ward: 'ward-7',
      idleTimeoutMs: 5 * 60_000,
      sessionLimitMs: 12 * 3_600_000,
      offlineGraceMs: 72 * 3_600_000,
      maxLockedSessions: 4,
      breakTheGlassMs: 20 * 60_000,
      staleAmberMs: 15 * 60_000,
      staleRedMs: 60 * 60_000,
      cacheDaysBeforeAdmission: 30,
      auditRetentionMs: 90 * 24 * 3_600_000,
      syncStoppedAfterMs: 5 * 60_000,
      rekeyAfterMs: null,
      administrationWindowMs: 60 * 60_000,
      printingAllowed: true,
      saveAsPdfAllowed: false,
      marHoursAhead: 12,
      updates: { enabled: true, channel: 'stable', url: 'https://updates.hospital.example/wardline/' },
      signedBy: org.pair.keyId,
      defaulted: [],
    });
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('still verifies after the file is re-indented or its keys reordered (the signature covers the canonical JSON)', () => {
    const org = testOrganisation();
    const file = JSON.parse(org.sign(examplePolicyDraft())) as { policy: Record<string, unknown> };
    const reordered = {
      signature: (file as unknown as { signature: unknown }).signature,
      policy: Object.fromEntries(Object.entries(file.policy).reverse()),
      wardlinePolicy: 1,
    };
    expect(verifyPolicyText(JSON.stringify(reordered), [org.trusted]).ward).toBe('ward-7');
  });

  it('refuses a file changed after signing, whatever the change', () => {
    const org = testOrganisation();
    const text = org.sign(examplePolicyDraft());
    expect(() => verifyPolicyText(text.replace('"idleTimeoutMinutes": 5', '"idleTimeoutMinutes": 600'), [org.trusted])).toThrow(
      expect.objectContaining({ code: 'POLICY_SIGNATURE_INVALID', message: expect.stringContaining('changed since it was signed') }),
    );
    expect(() => verifyPolicyText(text.replace('"allowed": true', '"allowed": false'), [org.trusted])).toThrow(
      expect.objectContaining({ code: 'POLICY_SIGNATURE_INVALID' }),
    );
    fc.assert(
      fc.property(fc.constantFrom('ward-7', 'ward-8', 'icu'), fc.integer({ min: 1, max: 1440 }), (ward, idle) => {
        const file = JSON.parse(text) as { policy: { ward: string; session: { idleTimeoutMinutes: number } } };
        if (ward === 'ward-7' && idle === 5) return;
        file.policy.ward = ward;
        file.policy.session.idleTimeoutMinutes = idle;
        expect(() => verifyPolicyText(JSON.stringify(file), [org.trusted])).toThrow(
          expect.objectContaining({ code: 'POLICY_SIGNATURE_INVALID' }),
        );
      }),
      { numRuns: 50, seed: 20261206 },
    );
  });

  it('refuses a policy signed with a key this installation does not trust', () => {
    const org = testOrganisation();
    const stranger = testOrganisation();
    expect(() => verifyPolicyText(stranger.sign(examplePolicyDraft()), [org.trusted])).toThrow(
      expect.objectContaining({ code: 'POLICY_UNTRUSTED_KEY', message: expect.stringContaining(stranger.pair.keyId) }),
    );
  });

  it("refuses a stranger's signature that claims the trusted key's id", () => {
    const org = testOrganisation();
    const stranger = generateSigningKeyPair();
    const forged = JSON.parse(
      JSON.stringify(signPolicy(examplePolicyDraft(), signingKeyFromPem(stranger.privateKeyPem), org.pair.keyId)),
    ) as object;
    expect(() => verifyPolicyText(JSON.stringify(forged), [org.trusted])).toThrow(
      expect.objectContaining({ code: 'POLICY_SIGNATURE_INVALID' }),
    );
  });

  it('refuses an unsigned policy, and one whose signature was made for an update manifest', () => {
    const org = testOrganisation();
    const unsigned = JSON.stringify({ wardlinePolicy: 1, policy: examplePolicyDraft() });
    expect(() => verifyPolicyText(unsigned, [org.trusted])).toThrow(
      expect.objectContaining({ code: 'POLICY_NOT_SIGNED', message: expect.stringContaining('not signed') }),
    );
    const policy = examplePolicyDraft();
    const value = signDetached('wardline-update-manifest/1', canonicalJson(policy), signingKeyFromPem(org.pair.privateKeyPem));
    const crossPurpose = JSON.stringify({ wardlinePolicy: 1, policy, signature: { algorithm: 'Ed25519', keyId: org.pair.keyId, value } });
    expect(() => verifyPolicyText(crossPurpose, [org.trusted])).toThrow(expect.objectContaining({ code: 'POLICY_SIGNATURE_INVALID' }));
  });

  it('names each missing security setting of a signed policy instead of filling in a default', () => {
    const org = testOrganisation();
    const draft = examplePolicyDraft();
    delete (draft.session as Record<string, unknown>).idleTimeoutMinutes;
    delete draft.printing;
    delete (draft.hub as Record<string, unknown>).pins;
    let error: unknown;
    try {
      verifyPolicyText(rawSigned(org, draft), [org.trusted]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'POLICY_INVALID' });
    const message = (error as Error).message;
    expect(message).toContain('hub.pins: missing');
    expect(message).toContain('session.idleTimeoutMinutes: missing');
    expect(message).toContain('printing: missing');
  });

  it('refuses to sign a policy that would not load', () => {
    const org = testOrganisation();
    const draft = { ...examplePolicyDraft(), updates: { enabled: true, channel: 'stable' } };
    expect(() => org.sign(draft)).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID', message: expect.stringContaining('updates.url') }),
    );
    expect(() => org.sign({ ...examplePolicyDraft(), hub: { url: 'http://hub.hospital.example', pins: ['x'] } })).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID' }),
    );
    expect(() => org.sign({ ...examplePolicyDraft(), extra: true })).toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }));
    expect(() => org.sign({ ...examplePolicyDraft(), staleness: { amberMinutes: 60, redMinutes: 15 } })).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID' }),
    );
    expect(() => org.sign({ ...examplePolicyDraft(), cache: { daysBeforeAdmission: 3651 } })).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID', message: expect.stringContaining('cache.daysBeforeAdmission') }),
    );
    expect(() => org.sign({ ...examplePolicyDraft(), cache: { daysBeforeAdmission: -1 } })).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID' }),
    );
    expect(() => org.sign({ ...examplePolicyDraft(), cache: { days: 7 } })).toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }));
  });

  it("says which settings took Wardline's defaults (only staleness, locked-session count, break-the-glass duration, cache window and MAR look-ahead may)", () => {
    const org = testOrganisation();
    const draft = examplePolicyDraft();
    delete draft.staleness;
    delete draft.cache;
    delete draft.audit;
    delete draft.sync;
    const session = draft.session as Record<string, unknown>;
    delete session.maxLockedSessions;
    delete session.breakTheGlassMinutes;
    draft.printing = { allowed: true };
    const policy = verifyPolicyText(org.sign(draft), [org.trusted]);
    expect(policy.defaulted).toEqual([
      'staleness',
      'session.maxLockedSessions',
      'session.breakTheGlassMinutes',
      'cache.daysBeforeAdmission',
      'sync.stoppedAfterMinutes',
      'audit.retentionDays',
      'printing.marHoursAhead',
    ]);
    expect(policy.marHoursAhead).toBe(12);
    expect(policy.cacheDaysBeforeAdmission).toBe(30);
    expect(policy.auditRetentionMs).toBe(90 * 24 * 3_600_000);
    expect(policy.breakTheGlassMs).toBe(30 * 60_000);
    expect(policy.maxLockedSessions).toBe(4);
    expect(policy.staleAmberMs).toBeLessThan(policy.staleRedMs);
  });

  it('hands the cache window to the sync room: from the admission only with 0 days, and "cache": {} counts as defaulted', () => {
    const org = testOrganisation();
    const policy = verifyPolicyText(org.sign({ ...examplePolicyDraft(), cache: { daysBeforeAdmission: 0 } }), [org.trusted]);
    expect(policy.defaulted).toEqual([]);
    expect(syncPolicyOf(policy).daysBeforeAdmission).toBe(0);
    const empty = verifyPolicyText(org.sign({ ...examplePolicyDraft(), cache: {} }), [org.trusted]);
    expect(empty.defaulted).toEqual(['cache.daysBeforeAdmission']);
    expect(syncPolicyOf(empty).daysBeforeAdmission).toBe(30);
  });

  it('turns updates off for an IT-managed install', () => {
    const org = testOrganisation();
    const policy = verifyPolicyText(org.sign({ ...examplePolicyDraft(), updates: { enabled: false } }), [org.trusted]);
    expect(policy.updates).toEqual({ enabled: false });
  });

  it('refuses a file that is not JSON, not a policy, or checked with no trusted key', () => {
    const org = testOrganisation();
    expect(() => verifyPolicyText('{"wardlinePolicy": 1,', [org.trusted])).toThrow(expect.objectContaining({ code: 'POLICY_UNREADABLE' }));
    expect(() => verifyPolicyText('[]', [org.trusted])).toThrow(expect.objectContaining({ code: 'POLICY_UNREADABLE' }));
    expect(() => verifyPolicyText(org.sign(examplePolicyDraft()), [])).toThrow(expect.objectContaining({ code: 'NO_TRUSTED_KEYS' }));
  });

  it('reads only Ed25519 public keys as trust anchors', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => trustedKeyFromPem(rsa)).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID', message: expect.stringContaining('not Ed25519') }),
    );
    expect(() => trustedKeyFromPem('not a key')).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });
});
