// Per-user sign-in records kept in the vault for the sessions room: offline password verifier,
// role, wards, credential stamp, PIN verifier, wrong-PIN count and (MFA accounts) the TOTP secret
// for an offline second factor with the last time step accepted (a code is accepted once). Every write is durable
// (synchronous=FULL): a wrong-PIN count must survive a power cut.
import type { StaffRole } from '../../shared/access/index.js';
import type { Db } from './sqlcipher-connection.js';

/** The staff roles of shared/access (migration 0003's CHECK lists them as they were when it landed). */
export type CredentialRole = StaffRole;

export interface CredentialRecord {
  readonly userId: string;
  /** Normalised (trimmed, lower case) by the sessions room. */
  readonly username: string;
  readonly role: CredentialRole;
  readonly wards: readonly string[];
  readonly credentialStamp: string;
  readonly mfaRequired: boolean;
  readonly passwordVerifier: string;
  /** Epoch ms of the last online sign-in here. */
  readonly verifiedAt: number;
  readonly pinVerifier: string | null;
  readonly pinSetAt: number | null;
  readonly pinFailures: number;
  /** Base32 TOTP secret from the user's last online sign-in with a code here (MFA accounts), else null. */
  readonly totpSecret: string | null;
  /** The last TOTP time step accepted for this user here (a code at or before it is refused), else null. */
  readonly totpLastStep: number | null;
}

export interface CredentialRecords {
  get(userId: string): CredentialRecord | null;
  findByUsername(username: string): CredentialRecord | null;
  list(): CredentialRecord[];
  /** Inserts or replaces the user's record; another user's record with the same username is removed. */
  put(record: CredentialRecord): void;
  delete(userId: string): void;
}

export const CREDENTIAL_METHODS = [
  'get',
  'findByUsername',
  'list',
  'put',
  'delete',
] as const satisfies readonly (keyof CredentialRecords)[];

interface Row {
  user_id: string;
  username: string;
  role: CredentialRole;
  wards: string;
  credential_stamp: string;
  mfa_required: number;
  password_verifier: string;
  verified_at: number;
  pin_verifier: string | null;
  pin_set_at: number | null;
  pin_failures: number;
  totp_secret: string | null;
  totp_last_step: number | null;
}

function recordOf(row: Row): CredentialRecord {
  return {
    userId: row.user_id,
    username: row.username,
    role: row.role,
    wards: JSON.parse(row.wards) as string[],
    credentialStamp: row.credential_stamp,
    mfaRequired: row.mfa_required === 1,
    passwordVerifier: row.password_verifier,
    verifiedAt: row.verified_at,
    pinVerifier: row.pin_verifier,
    pinSetAt: row.pin_set_at,
    pinFailures: row.pin_failures,
    totpSecret: row.totp_secret,
    totpLastStep: row.totp_last_step,
  };
}

/** `durably` runs a write in a transaction committed with synchronous=FULL. */
export function createCredentialRecords(db: Db, durably: (write: () => void) => void): CredentialRecords {
  const byId = db.prepare<[string], Row>('SELECT * FROM session_credentials WHERE user_id = ?');
  const byUsername = db.prepare<[string], Row>('SELECT * FROM session_credentials WHERE username = ?');
  const all = db.prepare<[], Row>('SELECT * FROM session_credentials ORDER BY username');
  const removeOtherWithUsername = db.prepare<[string, string]>('DELETE FROM session_credentials WHERE username = ? AND user_id <> ?');
  const upsert = db.prepare(`
    INSERT INTO session_credentials (user_id, username, role, wards, credential_stamp, mfa_required,
      password_verifier, verified_at, pin_verifier, pin_set_at, pin_failures, totp_secret, totp_last_step)
    VALUES (@userId, @username, @role, @wards, @credentialStamp, @mfaRequired, @passwordVerifier,
      @verifiedAt, @pinVerifier, @pinSetAt, @pinFailures, @totpSecret, @totpLastStep)
    ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, role = excluded.role,
      wards = excluded.wards, credential_stamp = excluded.credential_stamp,
      mfa_required = excluded.mfa_required, password_verifier = excluded.password_verifier,
      verified_at = excluded.verified_at, pin_verifier = excluded.pin_verifier,
      pin_set_at = excluded.pin_set_at, pin_failures = excluded.pin_failures,
      totp_secret = excluded.totp_secret, totp_last_step = excluded.totp_last_step`);
  const remove = db.prepare<[string]>('DELETE FROM session_credentials WHERE user_id = ?');

  return {
    get: (userId) => {
      const row = byId.get(userId);
      return row ? recordOf(row) : null;
    },
    findByUsername: (username) => {
      const row = byUsername.get(username);
      return row ? recordOf(row) : null;
    },
    list: () => all.all().map(recordOf),
    put: (record) =>
      durably(() => {
        removeOtherWithUsername.run(record.username, record.userId);
        upsert.run({
          ...record,
          wards: JSON.stringify(record.wards),
          mfaRequired: record.mfaRequired ? 1 : 0,
        });
      }),
    delete: (userId) =>
      durably(() => {
        remove.run(userId);
      }),
  };
}
