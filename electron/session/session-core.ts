// What the SessionManager lends the files that do one of its jobs (sign-in, PIN unlock): its
// ports and settings, and the steps that touch the lock state machine. Internal to the room.
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { CredentialHashing } from './credential-hashing.js';
import type { CredentialStore } from './credential-store.js';
import type { HubLogin } from './hub-login.js';
import type { HubTokens } from './hub-tokens.js';
import type { KeyedMutex } from './keyed-mutex.js';
import type { CredentialRevocation, SignInFailure } from './session-events.js';
import type { MachineEvent, MachineSession, MachineState } from './session-machine.js';
import type { SessionPolicy } from './session-policy.js';
import type { SessionSnapshot } from './session-snapshot.js';
import type { SessionUser, SignInMode } from './session-user.js';

export interface SignInResult {
  readonly snapshot: SessionSnapshot;
  readonly mode: SignInMode;
  /** True when the user's own locked session resumed instead of a new one starting. */
  readonly resumed: boolean;
  /** True when the hub could not be reached and the offline verifier was used instead. */
  readonly hubUnreachable: boolean;
  /**
   * True after a user's first online sign-in on this workstation (or the first since a password
   * change dropped their PIN) when they have no PIN: the window offers to set one.
   */
  readonly offerPin?: boolean;
}

export interface SessionCore {
  readonly clock: Clock;
  readonly credentials: CredentialStore;
  readonly hubLogin: HubLogin | null | undefined;
  readonly policy: SessionPolicy;
  readonly hashing: CredentialHashing;
  readonly logger: Logger;
  /** Every credential read-modify-write of a user runs under this user's lock. */
  readonly userLocks: KeyedMutex;
  /** Wrong passwords in a row per locked session. */
  readonly passwordFailures: Map<string, number>;
  assertOpen(): void;
  requireActive(): MachineSession;
  requireLocked(userId: string): MachineSession;
  /** The machine state after the deadlines that are due. */
  currentState(): MachineState;
  dispatch(event: MachineEvent): void;
  /** Records a refused sign-in (`username` as tried; the audit entry keeps it normalised, the log never). */
  failed(mode: SignInMode, failure: SignInFailure, userId: string | null, username: string): void;
  /** Deletes the user's offline verifier (recorded) and ends their session here. */
  revoke(userId: string, reason: CredentialRevocation): Promise<void>;
  resetPinFailures(userId: string): Promise<void>;
  /** Starts or resumes the user's session. */
  completeSignIn(user: SessionUser, mode: SignInMode, hubUnreachable: boolean, tokens: HubTokens | null): SignInResult;
  /** The snapshot after `userId`'s locked session resumed (throws when it did not). */
  afterResume(userId: string): SessionSnapshot;
}
