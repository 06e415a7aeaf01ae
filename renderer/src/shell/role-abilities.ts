// Which screens and buttons a role is offered, from the one permission table (shared/access): the
// host's guard decides; this only hides what a role would be refused anyway.
import { isPermitted, STAFF_ROLE_LABELS, type Action, type StaffRole } from '../../../shared/access/index.js';

export type Role = StaffRole;
export type Ability = Extract<Action, 'census:read' | 'chart:read' | 'print' | 'audit:view' | 'policy:view' | 'btg:use'>;

export function may(role: Role, ability: Ability): boolean {
  return isPermitted(role, ability);
}

/** The role as the top bar shows it. */
export function roleName(role: Role): string {
  return STAFF_ROLE_LABELS[role] ?? role;
}
