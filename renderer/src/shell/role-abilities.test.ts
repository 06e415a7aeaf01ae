import { describe, expect, it } from 'vitest';
import { may, roleName } from './role-abilities.js';

describe('what each role is offered', () => {
  it('offers the census and charts to clinical staff and clerks, not to admins', () => {
    for (const role of ['nurse', 'physician', 'clerk'] as const) expect(may(role, 'census:read')).toBe(true);
    expect(may('admin', 'census:read')).toBe(false);
    expect(may('admin', 'chart:read')).toBe(false);
  });

  it('offers the audit trail and the policy to admins only', () => {
    expect(may('admin', 'audit:view')).toBe(true);
    expect(may('admin', 'policy:view')).toBe(true);
    for (const role of ['nurse', 'physician', 'clerk'] as const) {
      expect(may(role, 'audit:view')).toBe(false);
      expect(may(role, 'policy:view')).toBe(false);
    }
  });

  it('offers printing and break-the-glass to nurses and physicians only', () => {
    expect(may('nurse', 'print') && may('physician', 'print')).toBe(true);
    expect(may('nurse', 'btg:use') && may('physician', 'btg:use')).toBe(true);
    expect(may('clerk', 'print') || may('clerk', 'btg:use') || may('admin', 'btg:use')).toBe(false);
    expect(roleName('clerk')).toBe('Ward clerk');
  });
});
