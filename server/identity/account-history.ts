// Each staff account's standing over time (role, wards, disabled), written whenever it changes, so
// the hub can judge documentation by the account as it stood when the documentation was recorded:
// a nurse disabled after a downtime shift still gets that shift's vital signs uploaded; an account
// made after the recorded time, or disabled at it, does not.
import type { SqlDatabase } from '../storage/index.js';
import { staffRoleSchema, type StaffRole } from '../../shared/access/index.js';

export interface AccountStanding {
  readonly role: StaffRole;
  readonly wards: readonly string[];
  readonly disabled: boolean;
}

/** Records the account's standing from `at` on (in the caller's transaction). */
export async function recordAccountStanding(db: SqlDatabase, userId: string, at: number, standing: AccountStanding): Promise<void> {
  const last = await db.query<{ seq: unknown }>('SELECT MAX(seq) AS seq FROM identity_account_history WHERE user_id = $1 AND at = $2', [
    userId,
    at,
  ]);
  const seq = last[0]?.seq === null || last[0]?.seq === undefined ? 0 : Number(last[0].seq) + 1;
  await db.execute('INSERT INTO identity_account_history (user_id, at, seq, role, wards, disabled) VALUES ($1, $2, $3, $4, $5, $6)', [
    userId,
    at,
    seq,
    standing.role,
    JSON.stringify([...standing.wards].sort()),
    standing.disabled ? 1 : 0,
  ]);
}

/** The account as it stood at `at` (ms), or null when it did not exist yet (or never did). One query. */
export async function accountStandingAt(db: SqlDatabase, userId: string, at: number): Promise<AccountStanding | null> {
  const rows = await db.query<{ role: string; wards: string; disabled: unknown }>(
    `SELECT role, wards, disabled FROM identity_account_history WHERE user_id = $1 AND at <= $2 ORDER BY at DESC, seq DESC LIMIT 1`,
    [userId, at],
  );
  const row = rows[0];
  if (row === undefined) return null;
  const role = staffRoleSchema.safeParse(row.role);
  if (!role.success) return null;
  return { role: role.data, wards: JSON.parse(row.wards) as string[], disabled: Number(row.disabled) !== 0 };
}
