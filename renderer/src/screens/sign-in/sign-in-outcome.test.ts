import { describe, expect, it } from 'vitest';
import { failureTitle, needsTotpStep, reachabilityAfterFailure, reachabilityAfterSuccess, reachabilityWords } from './sign-in-outcome.js';

describe('what a sign-in answer tells the user', () => {
  it('says the hub is unreachable when the host fell back to offline sign-in', () => {
    expect(reachabilityAfterSuccess({ mode: 'offline', hubUnreachable: true })).toBe('unreachable');
    expect(reachabilityAfterSuccess({ mode: 'online', hubUnreachable: false })).toBe('reachable');
    expect(reachabilityAfterSuccess({ mode: 'offline', hubUnreachable: false })).toBe('unknown');
    expect(reachabilityAfterFailure('HUB_UNREACHABLE', false)).toBe('unreachable');
    expect(reachabilityAfterFailure('OFFLINE_EXPIRED', false)).toBe('unreachable');
  });

  it('claims nothing about the hub for a wrong password or an offline attempt', () => {
    expect(reachabilityAfterFailure('BAD_CREDENTIALS', false)).toBe('unknown');
    expect(reachabilityAfterFailure('OFFLINE_EXPIRED', true)).toBe('unknown');
    expect(reachabilityWords('unknown')).toBeNull();
  });

  it('asks for the 6-digit code when the hub wants it, again after a wrong one', () => {
    expect(needsTotpStep('TOTP_REQUIRED')).toBe(true);
    expect(needsTotpStep('TOTP_INVALID')).toBe(true);
    expect(needsTotpStep('BAD_CREDENTIALS')).toBe(false);
    // The host asks for the code offline too (the hub down): the code step says nothing about the hub.
    expect(reachabilityAfterFailure('TOTP_REQUIRED', false)).toBe('unknown');
    expect(reachabilityAfterFailure('TOTP_INVALID', false)).toBe('unknown');
    expect(reachabilityAfterFailure('WARD_NOT_ASSIGNED', false)).toBe('reachable');
  });

  it('titles each refusal plainly, with a fallback for codes it does not know', () => {
    expect(failureTitle('OFFLINE_UNKNOWN_USER')).toBe('Offline sign-in is not possible for this account');
    expect(failureTitle('SOMETHING_NEW')).toBe('Sign-in did not work');
  });
});
