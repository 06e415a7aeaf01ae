// What a device token is granted for what it asked: never more, and nothing the hub does not know.
import { describe, expect, it } from 'vitest';
import { grantScope, scopeOfClaim, scopeText } from './token-scope.js';

describe('device token scopes', () => {
  it.each([
    ['system/*.read', { read: true, write: false }],
    ['system/*.rs', { read: true, write: false }],
    ['system/*.write', { read: false, write: true }],
    ['system/*.read system/*.write', { read: true, write: true }],
    ['system/*.*', { read: true, write: true }],
    ['system/*.cruds', { read: true, write: true }],
    ['system/*.read user/*.* patient/*.write launch', { read: true, write: false }],
  ])('grants %s as %j', (asked, granted) => {
    expect(grantScope(asked)).toEqual(granted);
  });

  it('grants nothing for scopes a workstation may not hold, and both rights when none is named', () => {
    expect(grantScope('user/*.* patient/Observation.read')).toBeNull();
    expect(grantScope('   ')).toBeNull();
    expect(grantScope(undefined)).toEqual({ read: true, write: true });
  });

  it('writes and reads back the token claim', () => {
    expect(scopeText({ read: true, write: false })).toBe('system/*.read');
    expect(scopeOfClaim(scopeText({ read: true, write: true }))).toEqual({ read: true, write: true });
    expect(scopeOfClaim(undefined)).toEqual({ read: false, write: false });
  });
});
