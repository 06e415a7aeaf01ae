// Which screens and buttons a role is offered. A copy, for the UI only, of the host's permission
// table (electron/session/permissions.ts): the host's guard decides; this only hides what a role
// would be refused anyway.
import type { SessionViewData } from '../../../shared/contract/index.js';

export type Role = SessionViewData['role'];
export type Ability = 'census:read' | 'chart:read' | 'print' | 'audit:view' | 'policy:view' | 'btg:use';

const ABILITIES: Readonly<Record<Role, readonly Ability[]>> = {
  nurse: ['census:read', 'chart:read', 'print', 'btg:use'],
  physician: ['census:read', 'chart:read', 'print', 'btg:use'],
  clerk: ['census:read', 'chart:read'],
  admin: ['audit:view', 'policy:view'],
};

export function may(role: Role, ability: Ability): boolean {
  return ABILITIES[role]?.includes(ability) ?? false;
}

const ROLE_NAMES: Readonly<Record<Role, string>> = { nurse: 'Nurse', physician: 'Physician', clerk: 'Ward clerk', admin: 'Administrator' };

/** The role as the top bar shows it. */
export function roleName(role: Role): string {
  return ROLE_NAMES[role] ?? role;
}
