// Who a session belongs to, as the hub described them at their last online sign-in.
import { STAFF_ROLES, type StaffRole } from '../../shared/access/index.js';

export { STAFF_ROLES, type StaffRole };

export interface SessionUser {
  readonly userId: string;
  /** Normalised (trimmed, lower case), as the hub stores it. */
  readonly username: string;
  readonly role: StaffRole;
  /** The wards the account is assigned to on the hub. */
  readonly wards: readonly string[];
}

export type SignInMode = 'online' | 'offline';

/** A failed sign-in's username is kept in its audit entry up to this length (the hub keeps as much). */
export const MAX_USERNAME_TRIED = 128;

/** The hub's rule for usernames, applied before any lookup: trimmed, lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}
