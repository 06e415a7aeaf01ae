// The hub's record of each sign-in at /auth/login, kept for the privacy officer (the trail view
// reads it beside the workstations' uploaded audit events): when, at which workstation, the account
// when the name matched one, and for a refusal the username that was tried and the reason code. The
// username tried is stored as typed (trimmed, at most 128 characters), in the encrypted hub database
// only: it never goes to the hub's log, since a mistyped username is sometimes a password.
import type { SqlDatabase } from '../storage/index.js';
import { newId } from './secrets.js';

export interface SignInRecord {
  readonly at: number;
  readonly deviceId: string;
  readonly userId: string | null;
  readonly usernameTried: string;
  readonly succeeded: boolean;
  /** The refusal's stable code (INVALID_CREDENTIALS, MFA_INVALID, ACCOUNT_LOCKED, …); null on success. */
  readonly code: string | null;
}

export async function recordSignIn(db: SqlDatabase, record: SignInRecord): Promise<void> {
  await db.execute(
    `INSERT INTO identity_sign_ins (id, at, device_id, user_id, username_tried, succeeded, code) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [newId(), record.at, record.deviceId, record.userId, record.usernameTried.trim().slice(0, 128), record.succeeded ? 1 : 0, record.code],
  );
}
