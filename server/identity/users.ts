// Staff accounts: create, change password, change role and wards, disable/enable, look up. A credential stamp (random)
// changes whenever the password changes or the account is disabled/enabled: user tokens, refresh
// tokens and the workstations' offline verifiers carry it, so they all stop working at once.
import type { SqlDatabase } from '../storage/index.js';
import { STAFF_ROLES } from '../../shared/access/index.js';
import { staffRoleSchema } from '../../shared/auth/index.js';
import { isWardCode, WARD_CODE_RULE } from '../../shared/fhir/index.js';
import type { StaffRole, UserPrincipal } from './principal.js';
import { IdentityError } from './identity-error.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password-hashing.js';
import { newId, randomSecret } from './secrets.js';
import { toBoolean, toNumberOrNull } from './sql-values.js';
import { newTotpSecret, totpEnrolmentUrl } from './totp.js';
import { recordAccountStanding } from './account-history.js';

export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly role: StaffRole;
  readonly wards: readonly string[];
  /** Require a TOTP code at every online sign-in. */
  readonly mfa: boolean;
}

export interface AddedUser {
  readonly userId: string;
  /** Base32 TOTP secret, only when `mfa` was requested: shown once to the user. */
  readonly totpSecret?: string;
  /** otpauth:// URL of the same secret, for a QR code. */
  readonly otpauthUrl?: string;
}

export interface UserRecord extends UserPrincipal {
  readonly passwordHash: string;
  readonly mfaRequired: boolean;
  /** The TOTP secret as stored: envelope-encrypted (open it with `openTotpSecret`). */
  readonly sealedTotpSecret: string | null;
  readonly credentialStamp: string;
  readonly disabled: boolean;
  readonly lockedUntil: number | null;
}

const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

/** Usernames are matched case-insensitively: stored and looked up in lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export async function addUser(db: SqlDatabase, user: NewUser, now: Date = new Date()): Promise<AddedUser> {
  const username = normalizeUsername(user.username);
  if (!USERNAME.test(username)) {
    throw new IdentityError(
      'INVALID_REQUEST',
      'A username is 1–64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit.',
      400,
    );
  }
  const role = staffRoleSchema.safeParse(user.role);
  if (!role.success) throw new IdentityError('INVALID_REQUEST', `The role must be one of ${STAFF_ROLES.join(', ')}.`, 400);
  const wards = validWards(user.wards);
  checkPasswordStrength(user.password);
  const userId = newId();
  const totpSecret = user.mfa ? newTotpSecret() : null;
  const passwordHash = await hashPassword(user.password);
  const at = now.getTime();
  await db.transaction(async (tx) => {
    const taken = await tx.execute(
      `INSERT INTO identity_users (user_id, username, password_hash, role, mfa_required, totp_secret, credential_stamp, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING`,
      [
        userId,
        username,
        passwordHash,
        role.data,
        user.mfa ? 1 : 0,
        totpSecret === null ? null : db.secrets.seal(totpSecret, totpContext(userId)),
        randomSecret(),
        at,
      ],
    );
    if (taken.changes === 0) {
      throw new IdentityError('USERNAME_TAKEN', `The username "${username}" is already in use; choose another one.`, 409);
    }
    for (const ward of wards) {
      await tx.execute('INSERT INTO identity_user_wards (user_id, ward) VALUES ($1, $2)', [userId, ward]);
    }
    await recordAccountStanding(tx, userId, at, { role: role.data, wards, disabled: false });
  });
  if (totpSecret === null) return { userId };
  return { userId, totpSecret, otpauthUrl: totpEnrolmentUrl(username, totpSecret) };
}

/** Sets a new password; the credential stamp changes and a lockout is lifted. */
export async function setPassword(db: SqlDatabase, username: string, password: string, now: Date = new Date()): Promise<void> {
  checkPasswordStrength(password);
  const passwordHash = await hashPassword(password);
  const result = await db.execute(
    `UPDATE identity_users SET password_hash = $1, credential_stamp = $2, failed_logins = 0, locked_until = NULL, updated_at = $3
     WHERE username = $4`,
    [passwordHash, randomSecret(), now.getTime(), normalizeUsername(username)],
  );
  if (result.changes === 0) throw unknownUser();
}

/** Disables an account at once: its tokens and offline verifiers stop working. */
export async function disableUser(db: SqlDatabase, username: string, now: Date = new Date()): Promise<void> {
  await setDisabled(db, username, true, now);
}

export async function enableUser(db: SqlDatabase, username: string, now: Date = new Date()): Promise<void> {
  await setDisabled(db, username, false, now);
}

async function setDisabled(db: SqlDatabase, username: string, disabled: boolean, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const result = await tx.execute('UPDATE identity_users SET disabled = $1, credential_stamp = $2, updated_at = $3 WHERE username = $4', [
      disabled ? 1 : 0,
      randomSecret(),
      now.getTime(),
      normalizeUsername(username),
    ]);
    if (result.changes === 0) throw unknownUser();
    const user = await findUserByUsername(tx, username);
    if (user !== null) await recordAccountStanding(tx, user.userId, now.getTime(), { role: user.role, wards: user.wards, disabled });
  });
}

export interface AccountChange {
  /** The new role; unchanged when absent. */
  readonly role?: StaffRole;
  /** The new wards (the whole list); unchanged when absent. */
  readonly wards?: readonly string[];
}

export interface ChangedAccount {
  readonly userId: string;
  readonly role: StaffRole;
  readonly wards: readonly string[];
  /** Whether anything changed (a change to the same role and wards changes nothing). */
  readonly changed: boolean;
}

/**
 * Changes an account's role and/or wards. The change is written to identity_account_history and the
 * credential stamp changes, so the user's tokens, refresh tokens and the workstations' offline
 * verifiers (which carry the old role and wards) stop working at once: the next sign-in gets a token
 * with the new role and wards.
 */
export async function changeAccount(
  db: SqlDatabase,
  username: string,
  change: AccountChange,
  now: Date = new Date(),
): Promise<ChangedAccount> {
  if (change.role === undefined && change.wards === undefined) {
    throw new IdentityError('INVALID_REQUEST', 'Say what changes: a new role, new wards, or both.', 400);
  }
  if (change.role !== undefined && !staffRoleSchema.safeParse(change.role).success) {
    throw new IdentityError('INVALID_REQUEST', `The role must be one of ${STAFF_ROLES.join(', ')}.`, 400);
  }
  const wards = change.wards === undefined ? undefined : validWards(change.wards);
  return db.transaction(async (tx) => {
    const user = await findUserByUsername(tx, username);
    if (user === null) throw unknownUser();
    const role = change.role ?? user.role;
    const nextWards = wards === undefined ? [...user.wards] : [...wards].sort();
    const changed = role !== user.role || JSON.stringify(nextWards) !== JSON.stringify([...user.wards].sort());
    if (!changed) return { userId: user.userId, role, wards: nextWards, changed: false };
    const at = now.getTime();
    await tx.execute('UPDATE identity_users SET role = $1, credential_stamp = $2, updated_at = $3 WHERE user_id = $4', [
      role,
      randomSecret(),
      at,
      user.userId,
    ]);
    if (wards !== undefined) {
      await tx.execute('DELETE FROM identity_user_wards WHERE user_id = $1', [user.userId]);
      for (const ward of nextWards)
        await tx.execute('INSERT INTO identity_user_wards (user_id, ward) VALUES ($1, $2)', [user.userId, ward]);
    }
    await recordAccountStanding(tx, user.userId, at, { role, wards: nextWards, disabled: user.disabled });
    return { userId: user.userId, role, wards: nextWards, changed: true };
  });
}

interface UserRow {
  user_id: string;
  username: string;
  password_hash: string;
  role: string;
  mfa_required: unknown;
  totp_secret: string | null;
  credential_stamp: string;
  disabled: unknown;
  locked_until: unknown;
}

const USER_COLUMNS = 'user_id, username, password_hash, role, mfa_required, totp_secret, credential_stamp, disabled, locked_until';

export async function findUserByUsername(db: SqlDatabase, username: string): Promise<UserRecord | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM identity_users WHERE username = $1`, [normalizeUsername(username)]);
  return rows[0] === undefined ? null : toUserRecord(db, rows[0]);
}

export async function findUserById(db: SqlDatabase, userId: string): Promise<UserRecord | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM identity_users WHERE user_id = $1`, [userId]);
  return rows[0] === undefined ? null : toUserRecord(db, rows[0]);
}

export interface CredentialStampEntry {
  readonly userId: string;
  readonly username: string;
  readonly credentialStamp: string;
  readonly disabled: boolean;
  readonly locked: boolean;
}

/**
 * Stamps of every account assigned to `ward` at `now`, for workstations to drop stale offline
 * verifiers: a changed stamp, a disabled account and an account locked now all withdraw it.
 */
export async function credentialStampsOfWard(db: SqlDatabase, ward: string, now: Date): Promise<CredentialStampEntry[]> {
  const rows = await db.query<{ user_id: string; username: string; credential_stamp: string; disabled: unknown; locked_until: unknown }>(
    `SELECT u.user_id, u.username, u.credential_stamp, u.disabled, u.locked_until
     FROM identity_user_wards w JOIN identity_users u ON u.user_id = w.user_id
     WHERE w.ward = $1 ORDER BY u.username`,
    [ward],
  );
  return rows.map((r) => ({
    userId: r.user_id,
    username: r.username,
    credentialStamp: r.credential_stamp,
    disabled: toBoolean(r.disabled),
    locked: (toNumberOrNull(r.locked_until) ?? 0) > now.getTime(),
  }));
}

/** The usernames of these account ids (unknown ids are left out), for views that show names only when read. */
export async function usernamesOf(db: SqlDatabase, userIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  const names = new Map<string, string>();
  for (let at = 0; at < ids.length; at += 200) {
    const slice = ids.slice(at, at + 200);
    const rows = await db.query<{ user_id: string; username: string }>(
      `SELECT user_id, username FROM identity_users WHERE user_id IN (${slice.map((_, i) => `$${i + 1}`).join(', ')})`,
      slice,
    );
    for (const row of rows) names.set(row.user_id, row.username);
  }
  return names;
}

async function toUserRecord(db: SqlDatabase, row: UserRow): Promise<UserRecord> {
  const wards = await db.query<{ ward: string }>('SELECT ward FROM identity_user_wards WHERE user_id = $1 ORDER BY ward', [row.user_id]);
  return {
    userId: row.user_id,
    username: row.username,
    role: staffRoleSchema.parse(row.role),
    wards: wards.map((w) => w.ward),
    passwordHash: row.password_hash,
    mfaRequired: toBoolean(row.mfa_required),
    sealedTotpSecret: row.totp_secret,
    credentialStamp: row.credential_stamp,
    disabled: toBoolean(row.disabled),
    lockedUntil: toNumberOrNull(row.locked_until),
  };
}

/** Where a TOTP secret is stored: bound into its envelope, so it opens only in its own row. */
export function totpContext(userId: string): string {
  return `identity_users.totp_secret:${userId}`;
}

/** The account's TOTP secret in the clear (base32), or null when it has none. */
export function openTotpSecret(db: SqlDatabase, user: Pick<UserRecord, 'userId' | 'sealedTotpSecret'>): string | null {
  return user.sealedTotpSecret === null ? null : db.secrets.open(user.sealedTotpSecret, totpContext(user.userId));
}

function validWards(wards: readonly string[]): string[] {
  const unique = [...new Set(wards)];
  if (unique.length === 0) throw new IdentityError('WARD_INVALID', 'A staff account needs at least one ward.', 400);
  for (const ward of unique) {
    if (!isWardCode(ward)) {
      throw new IdentityError('WARD_INVALID', WARD_CODE_RULE, 400);
    }
  }
  return unique;
}

function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new IdentityError('PASSWORD_TOO_SHORT', `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`, 400);
  }
}

function unknownUser(): IdentityError {
  return new IdentityError(
    'USER_UNKNOWN',
    'No staff account has this username; check the spelling (wardline-hub user add creates one).',
    404,
  );
}
