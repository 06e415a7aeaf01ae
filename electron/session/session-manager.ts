// The SessionManager drives the pure lock state machine with the outside world: the Clock and
// Scheduler (deadlines, session-deadlines.ts), PowerEvents (OS lock, suspend), and the session
// event sink. It composes the rooms' jobs: online and offline sign-in (online-sign-in.ts,
// offline-sign-in.ts), PINs and unlocking (pin-unlock.ts), the hub's tokens (hub-tokens.ts),
// credential revocation (credential-revocation.ts) and break-the-glass grants (break-the-glass.ts).
import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import type { CredentialStampsResponse } from '../../shared/auth/index.js';
import { isPermitted } from '../../shared/access/index.js';
import { BreakTheGlassRegistry, type BreakTheGlassGrant } from './break-the-glass.js';
import type { Clock, Scheduler } from './clock.js';
import { readCredentialStamps, revocationOf, type RevokedCredential } from './credential-revocation.js';
import { DEFAULT_CREDENTIAL_HASHING, type CredentialHashing } from './credential-hashing.js';
import type { CredentialStore } from './credential-store.js';
import type { HubLogin } from './hub-login.js';
import { HubTokenKeeper, type HubTokens } from './hub-tokens.js';
import { KeyedMutex } from './keyed-mutex.js';
import { chosenOfflineSignIn } from './offline-sign-in.js';
import { onlineSignIn } from './online-sign-in.js';
import { noLockedSession, setPin, unlockWithPassword, unlockWithPin } from './pin-unlock.js';
import type { PowerEvents } from './power-events.js';
import type { SessionCore, SignInResult } from './session-core.js';
import { DeadlineTimer } from './session-deadlines.js';
import { SessionError } from './session-error.js';
import type { CredentialRevocation, LockReason, SessionEvent, SessionEventSink, SignInFailure } from './session-events.js';
import {
  activeSession,
  initialSessionState,
  nextDeadline,
  reduceSession,
  sessionOf,
  type MachineEvent,
  type MachineSession,
  type MachineState,
  type SessionEffect,
} from './session-machine.js';
import { resolveSessionPolicy, type SessionPolicy } from './session-policy.js';
import { snapshotOf, type SessionSnapshot } from './session-snapshot.js';
import { MAX_USERNAME_TRIED, normalizeUsername, type SessionUser, type SignInMode } from './session-user.js';

export { MAX_PIN_FAILURES, PIN_SET_WITHOUT_PASSWORD_MS } from './pin-unlock.js';
export type { SignInResult } from './session-core.js';
export type { HubTokens } from './hub-tokens.js';
export type { RevokedCredential } from './credential-revocation.js';

export interface SessionManagerOptions {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly powerEvents: PowerEvents;
  readonly credentials: CredentialStore;
  readonly events: SessionEventSink;
  /** The ward (Location id) this workstation serves: scope = the user's wards ∩ this ward. */
  readonly workstationWard: string;
  /** The hub's /auth/login; absent when no hub is configured (online sign-in then behaves as "unreachable"). */
  readonly hubLogin?: HubLogin | null;
  readonly policy?: Partial<SessionPolicy>;
  readonly hashing?: CredentialHashing;
  readonly logger?: Logger;
  readonly newSessionId?: () => string;
}

export interface PurgeNotice {
  readonly sessionId: string;
  readonly userId: string;
}

/** A break-the-glass grant that stopped (expired, ended early, or its session ended). */
export interface BreakTheGlassStopNotice {
  readonly sessionId: string;
  readonly userId: string;
  readonly patientId: string;
}

export class SessionManager {
  readonly policy: SessionPolicy;
  readonly workstationWard: string;

  private state: MachineState;
  private closed = false;
  private generation = 0;
  private readonly btg: BreakTheGlassRegistry;
  private readonly logger: Logger;
  private readonly newSessionId: () => string;
  private readonly unsubscribePower: () => void;
  private readonly deadlines: DeadlineTimer;
  private readonly core: SessionCore;
  private readonly tokens: HubTokenKeeper;
  private readonly passwordFailures = new Map<string, number>();
  private readonly userLocks = new KeyedMutex();
  private readonly purgeListeners = new Set<(notice: PurgeNotice) => void>();
  private readonly changeListeners = new Set<(snapshot: SessionSnapshot) => void>();
  private readonly btgStopListeners = new Set<(notice: BreakTheGlassStopNotice) => void>();

  constructor(private readonly options: SessionManagerOptions) {
    this.policy = resolveSessionPolicy(options.policy);
    this.workstationWard = options.workstationWard;
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.newSessionId = options.newSessionId ?? randomUUID;
    this.btg = new BreakTheGlassRegistry(this.policy.breakTheGlassMs);
    this.tokens = new HubTokenKeeper({ clock: options.clock, hubLogin: options.hubLogin, userLocks: this.userLocks, logger: this.logger });
    this.deadlines = new DeadlineTimer(options.scheduler, () => {
      if (!this.closed) this.dispatch({ type: 'tick' });
    });
    this.core = {
      clock: options.clock,
      credentials: options.credentials,
      hubLogin: options.hubLogin,
      policy: this.policy,
      hashing: options.hashing ?? DEFAULT_CREDENTIAL_HASHING,
      logger: this.logger,
      userLocks: this.userLocks,
      passwordFailures: this.passwordFailures,
      assertOpen: () => this.assertOpen(),
      requireActive: () => this.requireActive(),
      requireLocked: (userId) => this.requireLocked(userId),
      currentState: () => this.currentState(),
      dispatch: (event) => this.dispatch(event),
      failed: (mode, failure, userId, username) => this.failed(mode, failure, userId, username),
      revoke: (userId, reason) => this.revoke(userId, reason),
      resetPinFailures: (userId) => this.resetPinFailures(userId),
      completeSignIn: (user, mode, hubUnreachable, tokens) => this.completeSignIn(user, mode, hubUnreachable, tokens),
      afterResume: (userId) => this.afterResume(userId),
    };
    this.state = initialSessionState(this.policy, options.clock.now());
    this.unsubscribePower = options.powerEvents.subscribe((kind) => {
      if (!this.closed) this.dispatch({ type: 'powerEvent', kind });
    });
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────

  /** The sessions as of now (deadlines that passed are applied first, even if a timer is late). */
  current(): SessionSnapshot {
    this.catchUp();
    return snapshotOf(this.state, this.workstationWard);
  }

  /**
   * A number that changes every time serving stops. A host API reads it before starting work and
   * drops its answer if it changed meanwhile, so a read begun before a lock is never delivered after.
   */
  servingGeneration(): number {
    this.catchUp();
    return this.generation;
  }

  /** Whether `userId` holds a live break-the-glass grant for `patientId`. */
  isBreakTheGlassGranted(userId: string, patientId: string): boolean {
    this.catchUp();
    return this.btg.isGranted(userId, patientId, this.options.clock.now());
  }

  /** Called with each session whose patient data the renderer must drop, synchronously at the lock. */
  onRendererPurge(listener: (notice: PurgeNotice) => void): () => void {
    this.purgeListeners.add(listener);
    return () => this.purgeListeners.delete(listener);
  }

  /** Called with every break-the-glass grant that stops, right after its stop event was recorded. */
  onBreakTheGlassStop(listener: (notice: BreakTheGlassStopNotice) => void): () => void {
    this.btgStopListeners.add(listener);
    return () => this.btgStopListeners.delete(listener);
  }

  /**
   * The active user's hub access token, for a request the hub must attribute to them (e.g. a
   * break-the-glass read). Renewed through the hub's refresh when it is about to expire, or when
   * `renew` says the hub refused it. Null when the session holds no hub tokens (an offline sign-in)
   * or the hub refused to renew them (the user must sign in online again). Rejects when the hub
   * cannot be reached for a renewal. Tokens stay in memory only.
   */
  async hubUserToken(options: { renew?: boolean } = {}): Promise<string | null> {
    const active = this.requireActive();
    return this.tokens.accessToken(active.sessionId, active.user.userId, options.renew === true);
  }

  /** Called with the new snapshot after every change. */
  onChange(listener: (snapshot: SessionSnapshot) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  // ── signing in ─────────────────────────────────────────────────────────────────────────────

  /**
   * Signs in against the hub. On success the workstation keeps an argon2id verifier of this
   * password with the user's role, wards and credential stamp, for offline sign-in later. When the
   * hub cannot be reached, falls back to offline sign-in if the policy allows it.
   */
  signInOnline(username: string, password: string, totp?: string): Promise<SignInResult> {
    return onlineSignIn(this.core, username, password, totp);
  }

  /**
   * Signs in with the offline verifier kept at this user's last online sign-in here, within the
   * grace period, and only while the hub cannot be reached (asked now). An account that requires a
   * second factor gives its TOTP code too, checked here.
   */
  async signInOffline(username: string, password: string, totp?: string): Promise<SignInResult> {
    this.assertOpen();
    return chosenOfflineSignIn(this.core, normalizeUsername(username), password, totp);
  }

  // ── PIN and unlocking ──────────────────────────────────────────────────────────────────────

  /**
   * Sets (or replaces) the active user's PIN: 4–8 digits, not trivial. Within a few minutes of a
   * full sign-in no password is needed; later, `password` must be given and right.
   */
  setPin(pin: string, password?: string): Promise<void> {
    return setPin(this.core, pin, password);
  }

  /** Resumes `userId`'s own locked session with their PIN. Five wrong PINs in a row: only the password works. */
  unlockWithPin(userId: string, pin: string): Promise<SessionSnapshot> {
    return unlockWithPin(this.core, userId, pin);
  }

  /** Resumes `userId`'s own locked session with their password (also clears a PIN lockout). */
  unlockWithPassword(userId: string, password: string): Promise<SessionSnapshot> {
    return unlockWithPassword(this.core, userId, password);
  }

  // ── locking, activity, signing out ─────────────────────────────────────────────────────────

  /** Locks the active session now: serving stops and the renderer is told to purge before this returns. */
  lock(reason: LockReason = 'manual'): void {
    this.assertOpen();
    this.dispatch({ type: 'lockRequested', reason });
  }

  /** Locks the active session so another user can sign in from the lock screen. */
  switchUser(): void {
    this.assertOpen();
    this.dispatch({ type: 'switchUser' });
  }

  /** The user did something (key, pointer, touch): the idle deadline moves. Ignored unless a session is active. */
  recordActivity(): void {
    if (this.closed) return;
    this.dispatch({ type: 'activity' });
  }

  /** Signs out the active user. */
  signOut(): void {
    this.assertOpen();
    const active = activeSession(this.currentState());
    if (active !== null) this.dispatch({ type: 'signOut', userId: active.user.userId });
  }

  /**
   * Applies the hub's credential stamps for this ward (GET /auth/credential-stamps, called by the
   * sync): a verifier whose stamp changed (password changed), whose account is disabled, or whose
   * user is no longer on this ward is deleted, and that user's session here ends.
   */
  async applyCredentialStamps(response: CredentialStampsResponse): Promise<RevokedCredential[]> {
    this.assertOpen();
    const byUser = readCredentialStamps(response, this.workstationWard);
    const revoked: RevokedCredential[] = [];
    for (const record of await this.options.credentials.list()) {
      const reason = revocationOf(record, byUser);
      if (reason === null) continue;
      await this.revoke(record.userId, reason);
      revoked.push({ userId: record.userId, reason });
    }
    this.logger.info({ event: 'session.stamps_applied', users: byUser.size, revoked: revoked.length }, 'credential stamps applied');
    return revoked;
  }

  // ── break-the-glass ────────────────────────────────────────────────────────────────────────

  /** Opens a restricted or off-ward patient's chart to the active user for policy.breakTheGlassMs. */
  startBreakTheGlass(patientId: string, reasonCode: string, reasonText: string): BreakTheGlassGrant {
    const active = this.requireActive();
    if (!isPermitted(active.user.role, 'btg:use')) {
      throw new SessionError('FORBIDDEN', 'Your role cannot use emergency access. Ask a nurse or physician on this ward.');
    }
    const { grant, events } = this.btg.start(
      { sessionId: active.sessionId, userId: active.user.userId, patientId, reasonCode, reasonText },
      this.options.clock.now(),
    );
    for (const event of events) this.record(event);
    this.logger.info({ event: 'session.btg_start', sessionId: active.sessionId }, 'break-the-glass started');
    this.reschedule();
    return grant;
  }

  /**
   * Ends the grant `sessionId` holds for `patientId`, whether that session is active or locked
   * (e.g. the off-ward chart it opened was dropped at a lock). Safe to call from a purge listener.
   */
  endBreakTheGlassOfSession(sessionId: string, patientId: string): void {
    if (this.closed) return;
    for (const event of this.btg.stopForSession(sessionId, patientId, this.options.clock.now())) this.record(event);
  }

  /** Signs out every session ("shutdown"), stops listening and cancels timers. */
  close(): void {
    if (this.closed) return;
    this.dispatch({ type: 'endAll', reason: 'shutdown' });
    this.closed = true;
    this.unsubscribePower();
    this.deadlines.cancel();
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private completeSignIn(user: SessionUser, mode: SignInMode, hubUnreachable: boolean, tokens: HubTokens | null): SignInResult {
    const before = sessionOf(this.currentState(), user.userId);
    const sessionId = before?.sessionId ?? this.newSessionId();
    this.dispatch({ type: 'signedIn', sessionId, user, mode });
    if (tokens !== null) this.tokens.hold(sessionId, tokens);
    this.passwordFailures.delete(sessionId);
    this.logger.info({ event: 'session.signed_in', sessionId, mode, resumed: before !== null }, 'signed in');
    return { snapshot: snapshotOf(this.state, this.workstationWard), mode, resumed: before !== null, hubUnreachable };
  }

  private async revoke(userId: string, reason: CredentialRevocation): Promise<void> {
    await this.userLocks.run(userId, async () => {
      const record = await this.options.credentials.get(userId);
      await this.options.credentials.delete(userId);
      if (record !== null) this.record({ type: 'offline-verifier-revoked', at: this.options.clock.now(), userId, reason });
    });
    if (!this.closed) this.dispatch({ type: 'credentialsRevoked', userId });
    this.logger.info({ event: 'session.credentials_revoked', reason }, 'offline verifier revoked');
  }

  private async resetPinFailures(userId: string): Promise<void> {
    const latest = await this.options.credentials.get(userId);
    if (latest !== null && latest.pinFailures !== 0) await this.options.credentials.put({ ...latest, pinFailures: 0 });
  }

  private afterResume(userId: string): SessionSnapshot {
    const snapshot = snapshotOf(this.state, this.workstationWard);
    if (snapshot.active?.userId !== userId) throw noLockedSession();
    return snapshot;
  }

  private failed(mode: SignInMode, failure: SignInFailure, userId: string | null, username: string): void {
    this.dispatch({ type: 'signInFailed', mode, failure, userId, username: normalizeUsername(username).slice(0, MAX_USERNAME_TRIED) });
    this.logger.info({ event: 'session.sign_in_failed', mode, failure }, 'sign-in refused');
  }

  private requireActive(): MachineSession {
    this.assertOpen();
    const state = this.currentState();
    const active = activeSession(state);
    if (active !== null) return active;
    if (state.sessions.length > 0) throw new SessionError('LOCKED', 'The workstation is locked. Unlock it to continue.');
    throw new SessionError('NOT_SIGNED_IN', 'Nobody is signed in on this workstation. Sign in to continue.');
  }

  private requireLocked(userId: string): MachineSession {
    const session = sessionOf(this.currentState(), userId);
    if (session === null || session.status !== 'locked') throw noLockedSession();
    return session;
  }

  private currentState(): MachineState {
    this.catchUp();
    return this.state;
  }

  /** Applies deadlines and break-the-glass expiries that are due, whether or not their timer has fired. */
  private catchUp(): void {
    if (this.closed) return;
    const now = this.options.clock.now();
    const deadline = nextDeadline(this.state);
    const expiry = this.btg.nextExpiry();
    if ((deadline !== null && deadline.at <= now) || (expiry !== null && expiry <= now)) this.dispatch({ type: 'tick' });
  }

  private dispatch(event: MachineEvent): void {
    const now = this.options.clock.now();
    const { state, effects } = reduceSession(this.state, event, now);
    this.state = state;
    for (const effect of effects) this.perform(effect, now);
    for (const stop of this.btg.expire(now)) this.record(stop);
    this.reschedule();
    if (effects.length > 0) {
      const snapshot = snapshotOf(this.state, this.workstationWard);
      for (const listener of [...this.changeListeners]) this.safely(() => listener(snapshot));
    }
  }

  private perform(effect: SessionEffect, now: number): void {
    switch (effect.type) {
      case 'stopServing':
        this.generation += 1;
        return;
      case 'purgeRenderer':
        for (const listener of [...this.purgeListeners])
          this.safely(() => listener({ sessionId: effect.sessionId, userId: effect.userId }));
        return;
      case 'audit':
        this.record(effect.event);
        if (effect.event.type === 'lock')
          this.logger.info({ event: 'session.locked', sessionId: effect.event.sessionId, reason: effect.event.reason }, 'session locked');
        if (effect.event.type === 'sign-out')
          this.logger.info({ event: 'session.ended', sessionId: effect.event.sessionId, reason: effect.event.reason }, 'session ended');
        return;
      case 'activated':
        return;
      case 'sessionEnded':
        this.tokens.drop(effect.sessionId);
        this.passwordFailures.delete(effect.sessionId);
        for (const stop of this.btg.endSession(effect.sessionId, now)) this.record(stop);
        return;
    }
  }

  private record(event: SessionEvent): void {
    try {
      this.options.events.record(event);
    } catch (error) {
      // A failing audit sink must never keep a session unlocked; the audit room reports its own failure.
      this.logger.error(
        { event: 'session.audit_sink_failed', type: event.type, error: error instanceof Error ? error.name : 'unknown' },
        'session event not recorded',
      );
    }
    if (event.type === 'btg-stop') {
      const notice: BreakTheGlassStopNotice = { sessionId: event.sessionId, userId: event.userId, patientId: event.patientId };
      for (const listener of [...this.btgStopListeners]) this.safely(() => listener(notice));
    }
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.logger.error(
        { event: 'session.listener_failed', error: error instanceof Error ? error.name : 'unknown' },
        'session listener threw',
      );
    }
  }

  /** Keeps one wake-up at the earliest deadline or break-the-glass expiry. */
  private reschedule(): void {
    if (this.closed) return;
    this.deadlines.wakeAt(nextDeadline(this.state)?.at ?? null, this.btg.nextExpiry());
  }

  private assertOpen(): void {
    if (this.closed) throw new SessionError('CLOSED', 'The session service has shut down. Restart Wardline.');
  }
}
