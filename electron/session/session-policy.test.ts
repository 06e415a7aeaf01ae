import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_POLICY, resolveSessionPolicy } from './session-policy.js';

describe('the session policy', () => {
  it('defaults to 5 min idle, 12 h absolute, 4 locked sessions, 72 h offline grace, 30 min break-the-glass', () => {
    expect(resolveSessionPolicy()).toEqual({
      idleTimeoutMs: 300_000,
      absoluteLimitMs: 43_200_000,
      maxLockedSessions: 4,
      lockedSessionTimeoutMs: null,
      offlineGraceMs: 259_200_000,
      allowOfflineSignIn: true,
      breakTheGlassMs: 1_800_000,
    });
    expect(resolveSessionPolicy()).toEqual(DEFAULT_SESSION_POLICY);
  });

  it.each([
    [{ idleTimeoutMs: 0 }],
    [{ idleTimeoutMs: Number.NaN }],
    [{ absoluteLimitMs: -1 }],
    [{ maxLockedSessions: 1.5 }],
    [{ maxLockedSessions: -1 }],
    [{ breakTheGlassMs: 10 }],
    [{ offlineGraceMs: 365 * 24 * 3_600_000 }],
  ])('refuses %j with a message for IT', (overrides) => {
    expect(() => resolveSessionPolicy(overrides)).toThrow(
      expect.objectContaining({ code: 'INVALID_POLICY', message: expect.stringContaining('Ask IT') }),
    );
  });
});
