// What the sessions room tells the audit trail, and the SessionEventSink port it tells it through
// (the audit room implements it). Events carry ids, reason codes and times. A failed sign-in carries
// the username that was tried (normalised: trimmed, lower case, at most 128 characters) for the audit
// entry only: it never goes to a log, because a mistyped username is sometimes a password.
import type { SignInMode } from './session-user.js';

export type LockReason = 'idle' | 'manual' | 'os-lock' | 'suspend' | 'switch';
export type UnlockMethod = 'pin' | 'password';
export type SignOutReason = 'user' | 'timeout' | 'absolute-limit' | 'evicted' | 'credentials-revoked' | 'shutdown';
export type SignInFailure =
  | 'bad-credentials'
  | 'unknown-user'
  | 'verifier-expired'
  | 'offline-not-allowed'
  | 'offline-hub-reachable'
  | 'offline-totp-unavailable'
  | 'hub-unreachable'
  | 'hub-answer-invalid'
  | 'totp-required'
  | 'totp-invalid'
  | 'account-locked'
  | 'account-disabled'
  | 'ward-not-assigned'
  | 'hub-refused';
export type CredentialRevocation = 'credentials-changed' | 'account-disabled' | 'account-locked' | 'removed-from-ward';
export type BreakTheGlassStop = 'expired' | 'ended';

interface EventBase {
  /** Epoch ms at which it happened (a timeout's own deadline, not when it was noticed). */
  readonly at: number;
}

export type SessionEvent = EventBase &
  (
    | {
        readonly type: 'sign-in';
        readonly sessionId: string;
        readonly userId: string;
        readonly mode: SignInMode;
        readonly outcome: 'new-session' | 'resumed-session';
      }
    /** userId only when the attempted username is an account known on this workstation; `username` as tried, normalised. */
    | {
        readonly type: 'sign-in-failed';
        readonly mode: SignInMode;
        readonly reason: SignInFailure;
        readonly userId: string | null;
        readonly username: string;
      }
    | { readonly type: 'lock'; readonly sessionId: string; readonly userId: string; readonly reason: LockReason }
    | { readonly type: 'unlock'; readonly sessionId: string; readonly userId: string; readonly method: UnlockMethod }
    | {
        readonly type: 'unlock-failed';
        readonly sessionId: string;
        readonly userId: string;
        readonly method: UnlockMethod;
        readonly failures: number;
      }
    | { readonly type: 'pin-lockout'; readonly sessionId: string; readonly userId: string }
    | { readonly type: 'pin-set'; readonly sessionId: string; readonly userId: string }
    | { readonly type: 'switch'; readonly fromUserId: string; readonly toUserId: string; readonly toSessionId: string }
    | {
        readonly type: 'sign-out';
        readonly sessionId: string;
        readonly userId: string;
        readonly reason: SignOutReason;
        readonly byUser: boolean;
      }
    | { readonly type: 'offline-verifier-revoked'; readonly userId: string; readonly reason: CredentialRevocation }
    | {
        readonly type: 'btg-start';
        readonly sessionId: string;
        readonly userId: string;
        readonly patientId: string;
        readonly reasonCode: string;
        readonly reasonText: string;
        readonly expiresAt: number;
      }
    | {
        readonly type: 'btg-stop';
        readonly sessionId: string;
        readonly userId: string;
        readonly patientId: string;
        readonly reason: BreakTheGlassStop;
      }
  );

export type SessionEventType = SessionEvent['type'];

/** Where session events go. `record` must not throw for an event it can keep; the manager never lets a failure here stop a lock. */
export interface SessionEventSink {
  record(event: SessionEvent): void;
}

/** Keeps events in memory, in order: for tests, the CLI's demo, and until the audit room is wired. */
export class MemorySessionEventSink implements SessionEventSink {
  readonly events: SessionEvent[] = [];

  record(event: SessionEvent): void {
    this.events.push(event);
  }

  /** The events of one type, typed. */
  ofType<T extends SessionEventType>(type: T): Extract<SessionEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
  }

  clear(): void {
    this.events.length = 0;
  }
}
