// What the signed-in role may read and document, from the one permission table (shared/access).
// The host refuses anyway; this only spares a nurse a button that would fail.
import { isPermitted, type Action, type ChartCategory, type StaffRole } from '../../../../shared/access/index.js';

export function isRolePermitted(role: StaffRole, action: Action): boolean {
  return isPermitted(role, action);
}

export function mayRead(role: StaffRole, category: ChartCategory): boolean {
  return isPermitted(role, `category:read:${category}`);
}
