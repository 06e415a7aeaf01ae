// The CredentialStore port: per user, the offline password verifier (with the role, wards and
// credential stamp the hub gave at their last online sign-in), the PIN verifier, the count of
// wrong PINs and (MFA accounts) the TOTP secret with the last time step accepted here. The vault implements it in the encrypted chart cache; the in-memory one serves tests.
import type { SessionUser } from './session-user.js';

export interface StoredCredentials extends SessionUser {
  /** The hub's credential stamp at the last online sign-in; a different stamp on the hub revokes this record. */
  readonly credentialStamp: string;
  /** Whether the hub requires a TOTP code online for this account. */
  readonly mfaRequired: boolean;
  /** argon2id PHC string of the password the user typed at their last online sign-in here. */
  readonly passwordVerifier: string;
  /** Epoch ms of that online sign-in: the offline grace period counts from here. */
  readonly verifiedAt: number;
  /** argon2id PHC string of the user's PIN, or null when none is set. */
  readonly pinVerifier: string | null;
  readonly pinSetAt: number | null;
  /** Wrong PINs in a row (reset by a right PIN or the password); at MAX_PIN_FAILURES only the password works. */
  readonly pinFailures: number;
  /**
   * Base32 TOTP secret the hub handed over at this user's last online sign-in with a code here
   * (accounts that require a second factor), checked at an offline sign-in; null otherwise.
   */
  readonly totpSecret: string | null;
  /**
   * The last TOTP time step accepted for this user on this workstation (an offline sign-in's code,
   * or the code of an online sign-in here): a code of that step or an earlier one is refused
   * offline, across restarts. Null until a code is accepted.
   */
  readonly totpLastStep: number | null;
}

export interface CredentialStore {
  get(userId: string): Promise<StoredCredentials | null>;
  /** Looks up by normalised username. */
  findByUsername(username: string): Promise<StoredCredentials | null>;
  list(): Promise<StoredCredentials[]>;
  /** Inserts or replaces the user's record (usernames are unique: another user's record with the same username is replaced). */
  put(record: StoredCredentials): Promise<void>;
  delete(userId: string): Promise<void>;
}

/** A CredentialStore in a Map: for tests and for a host that must keep nothing on disk. */
export class InMemoryCredentialStore implements CredentialStore {
  private readonly records = new Map<string, StoredCredentials>();

  async get(userId: string): Promise<StoredCredentials | null> {
    return this.records.get(userId) ?? null;
  }

  async findByUsername(username: string): Promise<StoredCredentials | null> {
    for (const r of this.records.values()) if (r.username === username) return r;
    return null;
  }

  async list(): Promise<StoredCredentials[]> {
    return [...this.records.values()];
  }

  async put(record: StoredCredentials): Promise<void> {
    for (const [id, r] of this.records) if (r.username === record.username && id !== record.userId) this.records.delete(id);
    this.records.set(record.userId, { ...record, wards: [...record.wards] });
  }

  async delete(userId: string): Promise<void> {
    this.records.delete(userId);
  }
}
