import { describe, expect, it } from 'vitest';
import { grantFor, rememberGrant } from './emergency-grants.js';

describe('emergency access grants in this window', () => {
  it('marks a chart while its grant lasts, and forgets it after', () => {
    const now = Date.parse('2026-03-12T10:00:00Z');
    rememberGrant('p1', '2026-03-12T10:30:00Z');
    expect(grantFor('p1', now)).toBe('2026-03-12T10:30:00.000Z');
    expect(grantFor('p2', now)).toBeNull();
    expect(grantFor('p1', Date.parse('2026-03-12T10:31:00Z'))).toBeNull();
  });
});
