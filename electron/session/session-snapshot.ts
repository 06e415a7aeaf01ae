// What the host, the lock screen and the guard see of the sessions: a read-only snapshot built
// from the machine's state. Usernames and roles only; no patient data lives here.
import type { LockReason } from './session-events.js';
import {
  absoluteDeadlineOf,
  activeSession,
  idleDeadlineOf,
  lockedSessions,
  type EndedSession,
  type MachineSession,
  type MachineState,
  type SessionStatus,
} from './session-machine.js';
import { wardScope } from '../../shared/access/index.js';
import type { SessionUser, SignInMode } from './session-user.js';

/** signed-out: nobody; active: someone works; locked: the lock screen with resumable sessions; expired: the last session ran out. */
export type WorkstationStatus = 'signed-out' | 'active' | 'locked' | 'expired';

export interface SessionView extends SessionUser {
  readonly sessionId: string;
  /** The wards this user may see here: their wards ∩ this workstation's ward. */
  readonly scope: readonly string[];
  readonly mode: SignInMode;
  readonly status: SessionStatus;
  readonly signedInAt: number;
  readonly lastActivityAt: number;
  readonly lockedAt: number | null;
  readonly lockReason: LockReason | null;
  /** When it locks without activity (null while locked). */
  readonly idleDeadline: number | null;
  /** When it ends, whatever happens. */
  readonly absoluteDeadline: number;
  /** Five wrong PINs: only the password resumes it. */
  readonly pinLockedOut: boolean;
}

export interface SessionSnapshot {
  readonly status: WorkstationStatus;
  readonly active: SessionView | null;
  /** Locked sessions, most recently locked first. */
  readonly locked: readonly SessionView[];
  /** How the last session ended, when none is left. */
  readonly lastEnded: EndedSession | null;
}

export function snapshotOf(state: MachineState, workstationWard: string): SessionSnapshot {
  const active = activeSession(state);
  const locked = lockedSessions(state);
  const status: WorkstationStatus =
    active !== null
      ? 'active'
      : locked.length > 0
        ? 'locked'
        : state.lastEnded !== null && (state.lastEnded.reason === 'absolute-limit' || state.lastEnded.reason === 'timeout')
          ? 'expired'
          : 'signed-out';
  return {
    status,
    active: active === null ? null : viewOf(active, state, workstationWard),
    locked: locked.map((s) => viewOf(s, state, workstationWard)),
    lastEnded: active === null && locked.length === 0 ? state.lastEnded : null,
  };
}

function viewOf(s: MachineSession, state: MachineState, workstationWard: string): SessionView {
  return {
    sessionId: s.sessionId,
    userId: s.user.userId,
    username: s.user.username,
    role: s.user.role,
    wards: [...s.user.wards],
    scope: wardScope(s.user.wards, workstationWard),
    mode: s.mode,
    status: s.status,
    signedInAt: s.signedInAt,
    lastActivityAt: s.lastActivityAt,
    lockedAt: s.lockedAt,
    lockReason: s.lockReason,
    idleDeadline: s.status === 'active' ? idleDeadlineOf(s, state.policy) : null,
    absoluteDeadline: absoluteDeadlineOf(s, state.policy),
    pinLockedOut: s.pinLockedOut,
  };
}
