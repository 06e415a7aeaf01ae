// The lock state machine, pure: (state, event, now) → { state, effects }, no I/O. It holds every
// session on this workstation (at most one active, up to N locked), applies the idle and absolute
// deadlines before anything else, and says what the host must do (stop serving, purge, audit).
import type { LockReason, SessionEvent, SignOutReason, UnlockMethod } from './session-events.js';
import type { SessionPolicy } from './session-policy.js';
import type { SessionUser, SignInMode } from './session-user.js';
import type { PowerEventKind } from './power-events.js';

export type SessionStatus = 'active' | 'locked';

export interface MachineSession {
  readonly sessionId: string;
  readonly user: SessionUser;
  readonly mode: SignInMode;
  readonly status: SessionStatus;
  readonly signedInAt: number;
  readonly lastActivityAt: number;
  /** Last full authentication (password sign-in or password unlock), for credential changes. */
  readonly fullAuthAt: number;
  readonly lockedAt: number | null;
  readonly lockReason: LockReason | null;
  /** Order of locking (ties in time are common with a fake clock or one shortcut for two steps). */
  readonly lockSeq: number;
  /** Five wrong PINs: only the password resumes this session. */
  readonly pinLockedOut: boolean;
}

export interface EndedSession {
  readonly sessionId: string;
  readonly userId: string;
  readonly reason: SignOutReason;
  readonly at: number;
}

export interface MachineState {
  readonly policy: SessionPolicy;
  /** Live sessions: at most one active; locked ones in the order they were locked. */
  readonly sessions: readonly MachineSession[];
  /** The user whose session was active last (to tell a user switch from a fresh sign-in). */
  readonly lastActiveUserId: string | null;
  /** How the last session ended, when none is left (the lock screen says "expired"). */
  readonly lastEnded: EndedSession | null;
  /** The latest time the machine has seen: time never runs backwards inside it. */
  readonly lastNow: number;
  /** The next lockSeq. */
  readonly nextLockSeq: number;
}

export type MachineEvent =
  | { readonly type: 'signedIn'; readonly sessionId: string; readonly user: SessionUser; readonly mode: SignInMode }
  | {
      readonly type: 'signInFailed';
      readonly failure: Extract<SessionEvent, { type: 'sign-in-failed' }>['reason'];
      readonly mode: SignInMode;
      readonly userId: string | null;
      readonly username: string;
    }
  | { readonly type: 'activity' }
  | { readonly type: 'tick' }
  | { readonly type: 'lockRequested'; readonly reason: LockReason }
  | { readonly type: 'powerEvent'; readonly kind: PowerEventKind }
  | { readonly type: 'pinOk'; readonly userId: string }
  | { readonly type: 'pinFailed'; readonly userId: string; readonly failures: number; readonly lockedOut: boolean }
  | { readonly type: 'passwordOk'; readonly userId: string }
  | { readonly type: 'passwordFailed'; readonly userId: string; readonly failures: number }
  | { readonly type: 'pinSet'; readonly userId: string }
  | { readonly type: 'switchUser' }
  | { readonly type: 'signOut'; readonly userId: string }
  | { readonly type: 'credentialsRevoked'; readonly userId: string }
  | { readonly type: 'endAll'; readonly reason: 'shutdown' };

export type SessionEffect =
  /** The host must refuse patient data from now on (emitted on every active → not active step). */
  | { readonly type: 'stopServing'; readonly sessionId: string; readonly userId: string }
  /** The renderer must drop everything it holds of this session (charts, lists, view state). */
  | { readonly type: 'purgeRenderer'; readonly sessionId: string; readonly userId: string }
  | { readonly type: 'audit'; readonly event: SessionEvent }
  /** This session is now the active one: the renderer may load its view state. */
  | { readonly type: 'activated'; readonly sessionId: string; readonly userId: string }
  /** This session is gone: drop its view state, hub tokens and break-the-glass grants. */
  | { readonly type: 'sessionEnded'; readonly sessionId: string; readonly userId: string; readonly reason: SignOutReason };

export interface Transition {
  readonly state: MachineState;
  readonly effects: readonly SessionEffect[];
}

type DeadlineKind = 'absolute-limit' | 'idle' | 'timeout';

export interface Deadline {
  readonly at: number;
  readonly sessionId: string;
  readonly kind: DeadlineKind;
}

export function initialSessionState(policy: SessionPolicy, now = 0): MachineState {
  return { policy, sessions: [], lastActiveUserId: null, lastEnded: null, lastNow: now, nextLockSeq: 1 };
}

/** The active session, or null. */
export function activeSession(state: MachineState): MachineSession | null {
  return state.sessions.find((s) => s.status === 'active') ?? null;
}

/** Locked sessions, most recently locked first (the lock screen's order). */
export function lockedSessions(state: MachineState): MachineSession[] {
  return state.sessions.filter((s) => s.status === 'locked').sort((a, b) => b.lockSeq - a.lockSeq);
}

export function sessionOf(state: MachineState, userId: string): MachineSession | null {
  return state.sessions.find((s) => s.user.userId === userId) ?? null;
}

/** Patient data may be served only while a session is active. */
export function isServing(state: MachineState): boolean {
  return activeSession(state) !== null;
}

export function idleDeadlineOf(session: MachineSession, policy: SessionPolicy): number {
  return session.lastActivityAt + policy.idleTimeoutMs;
}

export function absoluteDeadlineOf(session: MachineSession, policy: SessionPolicy): number {
  return session.signedInAt + policy.absoluteLimitMs;
}

/** The earliest time at which the machine must act on its own (a lock or a sign-out), or null. */
export function nextDeadline(state: MachineState): Deadline | null {
  let best: Deadline | null = null;
  const consider = (d: Deadline): void => {
    if (best === null || d.at < best.at || (d.at === best.at && rank(d.kind) < rank(best.kind))) best = d;
  };
  for (const s of state.sessions) {
    consider({ at: absoluteDeadlineOf(s, state.policy), sessionId: s.sessionId, kind: 'absolute-limit' });
    if (s.status === 'active') consider({ at: idleDeadlineOf(s, state.policy), sessionId: s.sessionId, kind: 'idle' });
    if (s.status === 'locked' && s.lockedAt !== null && state.policy.lockedSessionTimeoutMs !== null) {
      consider({ at: s.lockedAt + state.policy.lockedSessionTimeoutMs, sessionId: s.sessionId, kind: 'timeout' });
    }
  }
  return best;
}

function rank(kind: DeadlineKind): number {
  return kind === 'absolute-limit' ? 0 : kind === 'timeout' ? 1 : 2;
}

/** Applies every deadline due by `now`, then `event`. */
export function reduceSession(state: MachineState, event: MachineEvent, now: number): Transition {
  const step = new Step(state, Math.max(now, state.lastNow));
  step.applyDeadlines();
  step.apply(event);
  return { state: step.state, effects: step.effects };
}

/** One reduction: a working copy of the state and the effects collected so far. */
class Step {
  state: MachineState;
  readonly effects: SessionEffect[] = [];

  constructor(
    state: MachineState,
    private readonly now: number,
  ) {
    this.state = { ...state, lastNow: now };
  }

  applyDeadlines(): void {
    for (let d = nextDeadline(this.state); d !== null && d.at <= this.now; d = nextDeadline(this.state)) {
      const session = this.find(d.sessionId);
      if (session === null) break;
      if (d.kind === 'idle') this.lock(session, 'idle', d.at);
      else this.end(session, d.kind, d.at);
    }
  }

  apply(event: MachineEvent): void {
    const now = this.now;
    switch (event.type) {
      case 'tick':
        return;
      case 'activity': {
        const active = activeSession(this.state);
        if (active !== null) this.replace({ ...active, lastActivityAt: now });
        return;
      }
      case 'lockRequested': {
        const active = activeSession(this.state);
        if (active !== null) this.lock(active, event.reason, now);
        return;
      }
      case 'switchUser': {
        const active = activeSession(this.state);
        if (active !== null) this.lock(active, 'switch', now);
        return;
      }
      case 'powerEvent': {
        const active = activeSession(this.state);
        if (active === null) return;
        if (event.kind === 'lock-screen') this.lock(active, 'os-lock', now);
        else if (event.kind === 'suspend') this.lock(active, 'suspend', now);
        // resume and unlock-screen never unlock: the owner still has to prove who they are.
        return;
      }
      case 'signedIn':
        this.signIn(event.sessionId, event.user, event.mode);
        return;
      case 'signInFailed':
        this.audit({
          type: 'sign-in-failed',
          at: now,
          mode: event.mode,
          reason: event.failure,
          userId: event.userId,
          username: event.username,
        });
        return;
      case 'pinOk': {
        const session = sessionOf(this.state, event.userId);
        if (session === null || session.status !== 'locked' || session.pinLockedOut) return;
        this.resume(session, 'pin');
        return;
      }
      case 'pinFailed': {
        const session = sessionOf(this.state, event.userId);
        if (session === null || session.status !== 'locked') return;
        this.audit({
          type: 'unlock-failed',
          at: now,
          sessionId: session.sessionId,
          userId: event.userId,
          method: 'pin',
          failures: event.failures,
        });
        if (event.lockedOut && !session.pinLockedOut) {
          this.replace({ ...session, pinLockedOut: true });
          this.audit({ type: 'pin-lockout', at: now, sessionId: session.sessionId, userId: event.userId });
        }
        return;
      }
      case 'passwordOk': {
        const session = sessionOf(this.state, event.userId);
        if (session === null || session.status !== 'locked') return;
        this.resume(session, 'password');
        return;
      }
      case 'passwordFailed': {
        const session = sessionOf(this.state, event.userId);
        if (session === null || session.status !== 'locked') return;
        this.audit({
          type: 'unlock-failed',
          at: now,
          sessionId: session.sessionId,
          userId: event.userId,
          method: 'password',
          failures: event.failures,
        });
        return;
      }
      case 'pinSet': {
        const active = activeSession(this.state);
        if (active === null || active.user.userId !== event.userId) return;
        this.audit({ type: 'pin-set', at: now, sessionId: active.sessionId, userId: event.userId });
        return;
      }
      case 'signOut': {
        const session = sessionOf(this.state, event.userId);
        if (session !== null) this.end(session, 'user', now);
        return;
      }
      case 'credentialsRevoked': {
        const session = sessionOf(this.state, event.userId);
        if (session !== null) this.end(session, 'credentials-revoked', now);
        return;
      }
      case 'endAll': {
        const active = activeSession(this.state);
        if (active !== null) this.end(active, event.reason, now);
        for (const s of lockedSessions(this.state)) this.end(s, event.reason, now);
        return;
      }
    }
  }

  private signIn(sessionId: string, user: SessionUser, mode: SignInMode): void {
    const now = this.now;
    const existing = sessionOf(this.state, user.userId);
    // An online sign-in into a session signed in offline brings the hub's tokens: the session is
    // online from then on. An offline one never takes that back (the tokens it holds stay).
    const modeAfter = (session: MachineSession): SignInMode => (mode === 'online' ? 'online' : session.mode);
    if (existing !== null && existing.status === 'active') {
      this.replace({ ...existing, user, mode: modeAfter(existing), lastActivityAt: now, fullAuthAt: now });
      this.audit({ type: 'sign-in', at: now, sessionId: existing.sessionId, userId: user.userId, mode, outcome: 'resumed-session' });
      return;
    }
    this.lockOtherActive(user.userId);
    if (existing !== null) {
      // The owner of a locked session signed in with their password: that session resumes.
      const resumed: MachineSession = {
        ...existing,
        user,
        mode: modeAfter(existing),
        status: 'active',
        lastActivityAt: now,
        fullAuthAt: now,
        lockedAt: null,
        lockReason: null,
        pinLockedOut: false,
      };
      this.replace(resumed);
      this.audit({ type: 'sign-in', at: now, sessionId: existing.sessionId, userId: user.userId, mode, outcome: 'resumed-session' });
      this.activated(resumed);
      return;
    }
    const session: MachineSession = {
      sessionId,
      user,
      mode,
      status: 'active',
      signedInAt: now,
      lastActivityAt: now,
      fullAuthAt: now,
      lockedAt: null,
      lockReason: null,
      lockSeq: 0,
      pinLockedOut: false,
    };
    this.state = { ...this.state, sessions: [...this.state.sessions, session] };
    this.audit({ type: 'sign-in', at: now, sessionId, userId: user.userId, mode, outcome: 'new-session' });
    this.activated(session);
  }

  private resume(session: MachineSession, method: UnlockMethod): void {
    const now = this.now;
    this.lockOtherActive(session.user.userId);
    const resumed: MachineSession = {
      ...session,
      status: 'active',
      lastActivityAt: now,
      fullAuthAt: method === 'password' ? now : session.fullAuthAt,
      lockedAt: null,
      lockReason: null,
      pinLockedOut: method === 'password' ? false : session.pinLockedOut,
    };
    this.replace(resumed);
    this.audit({ type: 'unlock', at: now, sessionId: session.sessionId, userId: session.user.userId, method });
    this.activated(resumed);
  }

  /** Before another user's session becomes active, the current one is locked ("switch"). */
  private lockOtherActive(userId: string): void {
    const active = activeSession(this.state);
    if (active !== null && active.user.userId !== userId) this.lock(active, 'switch', this.now);
  }

  private activated(session: MachineSession): void {
    const from = this.state.lastActiveUserId;
    const to = session.user.userId;
    if (from !== null && from !== to && sessionOf(this.state, from) !== null) {
      this.audit({ type: 'switch', at: this.now, fromUserId: from, toUserId: to, toSessionId: session.sessionId });
    }
    this.state = { ...this.state, lastActiveUserId: to, lastEnded: null };
    this.effects.push({ type: 'activated', sessionId: session.sessionId, userId: to });
  }

  private lock(session: MachineSession, reason: LockReason, at: number): void {
    if (session.status !== 'active') return;
    this.stopServing(session);
    this.replace({ ...session, status: 'locked', lockedAt: at, lockReason: reason, lockSeq: this.state.nextLockSeq });
    this.state = { ...this.state, nextLockSeq: this.state.nextLockSeq + 1 };
    this.audit({ type: 'lock', at, sessionId: session.sessionId, userId: session.user.userId, reason });
    this.evictOverflow(at);
  }

  /** Keeps at most policy.maxLockedSessions locked sessions: the one locked longest ago goes. */
  private evictOverflow(at: number): void {
    for (;;) {
      const locked = lockedSessions(this.state);
      if (locked.length <= this.state.policy.maxLockedSessions) return;
      const oldest = locked[locked.length - 1];
      if (oldest === undefined) return;
      this.end(oldest, 'evicted', at);
    }
  }

  private end(session: MachineSession, reason: SignOutReason, at: number): void {
    if (session.status === 'active') this.stopServing(session);
    this.state = {
      ...this.state,
      sessions: this.state.sessions.filter((s) => s.sessionId !== session.sessionId),
      lastEnded: { sessionId: session.sessionId, userId: session.user.userId, reason, at },
      lastActiveUserId: this.state.lastActiveUserId,
    };
    this.audit({ type: 'sign-out', at, sessionId: session.sessionId, userId: session.user.userId, reason, byUser: reason === 'user' });
    this.effects.push({ type: 'sessionEnded', sessionId: session.sessionId, userId: session.user.userId, reason });
  }

  private stopServing(session: MachineSession): void {
    this.effects.push({ type: 'stopServing', sessionId: session.sessionId, userId: session.user.userId });
    this.effects.push({ type: 'purgeRenderer', sessionId: session.sessionId, userId: session.user.userId });
  }

  private audit(event: SessionEvent): void {
    this.effects.push({ type: 'audit', event });
  }

  private find(sessionId: string): MachineSession | null {
    return this.state.sessions.find((s) => s.sessionId === sessionId) ?? null;
  }

  private replace(session: MachineSession): void {
    this.state = { ...this.state, sessions: this.state.sessions.map((s) => (s.sessionId === session.sessionId ? session : s)) };
  }
}
