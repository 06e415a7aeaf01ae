import { describe, expect, it } from 'vitest';
import { isRolePermitted, mayRead } from './role-permissions.js';

describe('the role table the screens follow', () => {
  it('lets nurses document vital signs and administrations, and physicians neither', () => {
    expect(isRolePermitted('nurse', 'document:vital-signs')).toBe(true);
    expect(isRolePermitted('nurse', 'document:medication-administration')).toBe(true);
    expect(isRolePermitted('physician', 'document:vital-signs')).toBe(false);
    expect(isRolePermitted('physician', 'print')).toBe(true);
  });

  it('shows a clerk no clinical category', () => {
    for (const category of ['vital-signs', 'laboratory', 'medication', 'notes', 'problems', 'allergies', 'alerts'] as const) {
      expect(mayRead('clerk', category)).toBe(false);
    }
    expect(mayRead('clerk', 'demographics')).toBe(true);
  });

  it('gives admins the audit and the policy, and no chart', () => {
    expect(isRolePermitted('admin', 'audit:view')).toBe(true);
    expect(isRolePermitted('admin', 'chart:read')).toBe(false);
  });
});
