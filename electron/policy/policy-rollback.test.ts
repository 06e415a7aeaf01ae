import { describe, expect, it } from 'vitest';
import { policyMarkAfter } from './policy-rollback.js';
import { verifyPolicyText } from './signed-policy.js';
import { examplePolicyDraft, testOrganisation } from './test-helpers.js';

const org = testOrganisation();
const issuedAt = (issued: string) => verifyPolicyText(org.sign({ ...examplePolicyDraft(), issued }), [org.trusted]);

describe('refusing an older machine policy', () => {
  it('accepts the first policy and records it', () => {
    const policy = issuedAt('2025-03-01T09:00:00Z');
    expect(policyMarkAfter(policy, null)).toEqual({ issued: '2025-03-01T09:00:00Z', signedBy: org.pair.keyId });
  });

  it('refuses a validly signed policy issued before the accepted one, naming both dates', () => {
    const old = issuedAt('2025-02-01T09:00:00Z');
    expect(() => policyMarkAfter(old, { issued: '2025-03-01T09:00:00Z', signedBy: org.pair.keyId })).toThrow(
      expect.objectContaining({
        name: 'PolicyError',
        code: 'POLICY_ROLLBACK',
        message: expect.stringMatching(/issued 2025-02-01T09:00:00Z, before .*issued 2025-03-01T09:00:00Z/),
      }),
    );
  });

  it('compares instants, not text: an offset that makes the policy one second older is refused', () => {
    const earlier = issuedAt('2025-03-01T10:59:59+02:00');
    expect(() => policyMarkAfter(earlier, { issued: '2025-03-01T09:00:00Z', signedBy: org.pair.keyId })).toThrow(
      expect.objectContaining({ code: 'POLICY_ROLLBACK' }),
    );
    const same = issuedAt('2025-03-01T11:00:00+02:00');
    expect(policyMarkAfter(same, { issued: '2025-03-01T09:00:00Z', signedBy: org.pair.keyId })).toBeNull();
  });

  it('accepts the same policy again without moving the mark, and a newer one by advancing it', () => {
    const mark = { issued: '2025-03-01T09:00:00Z', signedBy: org.pair.keyId };
    expect(policyMarkAfter(issuedAt('2025-03-01T09:00:00Z'), mark)).toBeNull();
    expect(policyMarkAfter(issuedAt('2025-04-01T09:00:00Z'), mark)).toEqual({ issued: '2025-04-01T09:00:00Z', signedBy: org.pair.keyId });
  });

  it('records a new signer of a policy issued at the same instant (a re-signed policy after a key rotation)', () => {
    expect(policyMarkAfter(issuedAt('2025-03-01T09:00:00Z'), { issued: '2025-03-01T09:00:00Z', signedBy: 'old-key' })).toEqual({
      issued: '2025-03-01T09:00:00Z',
      signedBy: org.pair.keyId,
    });
  });

  it('refuses when the recorded mark cannot be read as a time, rather than accepting anything', () => {
    expect(() => policyMarkAfter(issuedAt('2025-03-01T09:00:00Z'), { issued: 'garbage', signedBy: org.pair.keyId })).toThrow(
      expect.objectContaining({ code: 'POLICY_ROLLBACK' }),
    );
  });
});
