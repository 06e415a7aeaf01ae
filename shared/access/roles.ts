// The staff roles, once: the workstation's sessions, the hub's accounts, the contract's session view
// and the renderer's labels all take them from here.
import { z } from 'zod';

export const STAFF_ROLES = ['nurse', 'physician', 'clerk', 'admin'] as const;
export const staffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The role as people read it (top bar, audit views, the hub's CLI). */
export const STAFF_ROLE_LABELS: Readonly<Record<StaffRole, string>> = {
  nurse: 'Nurse',
  physician: 'Physician',
  clerk: 'Ward clerk',
  admin: 'Administrator',
};
