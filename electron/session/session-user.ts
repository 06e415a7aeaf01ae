// Who a session belongs to, as the hub described them at their last online sign-in.
import type { StaffRoleName } from '../../shared/auth/index.js';

export type StaffRole = StaffRoleName;

export const STAFF_ROLES: readonly StaffRole[] = ['nurse', 'physician', 'clerk', 'admin'];

export interface SessionUser {
  readonly userId: string;
  /** Normalised (trimmed, lower case), as the hub stores it. */
  readonly username: string;
  readonly role: StaffRole;
  /** The wards the account is assigned to on the hub. */
  readonly wards: readonly string[];
}

export type SignInMode = 'online' | 'offline';

/** The hub's rule for usernames, applied before any lookup: trimmed, lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}
