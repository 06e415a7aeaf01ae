// The permission table, checked for every role × action against the matrix the ward agreed on,
// written out here by hand (not derived from the implementation), and the ward scope.
import { describe, expect, it } from 'vitest';
import { ACTIONS, isPatientDataAction, isPermitted, permittedActions, wardScope, type Action } from './permissions.js';
import { STAFF_ROLES, type StaffRole } from './roles.js';

// Columns: nurse, physician, clerk, admin. Y = permitted, - = refused.
// prettier-ignore
const MATRIX: Record<Action, string> = {
  'census:read':                        'Y Y Y -',
  'chart:read':                         'Y Y Y -',
  'category:read:demographics':         'Y Y Y -',
  'category:read:vital-signs':          'Y Y - -',
  'category:read:laboratory':           'Y Y - -',
  'category:read:medication':           'Y Y - -',
  'category:read:notes':                'Y Y - -',
  'category:read:problems':             'Y Y - -',
  'category:read:allergies':            'Y Y - -',
  'category:read:alerts':               'Y Y - -',
  'document:vital-signs':               'Y - - -',
  'document:medication-administration': 'Y - - -',
  'document:note':                      'Y Y - -',
  'print':                              'Y Y - -',
  'audit:view':                         '- - - Y',
  'policy:view':                        '- - - Y',
  'btg:use':                            'Y Y - -',
};
const COLUMNS: StaffRole[] = ['nurse', 'physician', 'clerk', 'admin'];

const cases = Object.entries(MATRIX).flatMap(([action, row]) =>
  row.split(' ').map((cell, i) => ({ action: action as Action, role: COLUMNS[i]!, expected: cell === 'Y' })),
);

describe('the permission table', () => {
  it('covers every action and every role', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...ACTIONS].sort());
    expect([...STAFF_ROLES].sort()).toEqual([...COLUMNS].sort());
    expect(cases).toHaveLength(ACTIONS.length * STAFF_ROLES.length);
  });

  it.each(cases)('$role → $action: $expected', ({ role, action, expected }) => {
    expect(isPermitted(role, action)).toBe(expected);
  });

  it('lists what each role may do, in table order', () => {
    expect(permittedActions('clerk')).toEqual(['census:read', 'chart:read', 'category:read:demographics']);
    expect(permittedActions('admin')).toEqual(['audit:view', 'policy:view']);
  });

  it('refuses an unknown role rather than throwing', () => {
    expect(isPermitted('janitor' as StaffRole, 'census:read')).toBe(false);
  });

  it('marks which actions touch patient data (and so need scope)', () => {
    expect(ACTIONS.filter((a) => !isPatientDataAction(a))).toEqual(['audit:view', 'policy:view', 'btg:use']);
  });
});

describe('ward scope', () => {
  it("is the user's wards intersected with the workstation's ward", () => {
    expect(wardScope(['ward-7', 'icu'], 'ward-7')).toEqual(['ward-7']);
    expect(wardScope(['icu'], 'ward-7')).toEqual([]);
    expect(wardScope([], 'ward-7')).toEqual([]);
  });
});
