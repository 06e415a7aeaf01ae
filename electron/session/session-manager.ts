// The SessionManager drives the pure lock state machine with the outside world: the Clock and
// Scheduler (deadlines), PowerEvents (OS lock, suspend), the CredentialStore (offline and PIN
// verifiers), argon2id, the HubLogin port, break-the-glass grants and the session event sink.
import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import {
  credentialStampsResponseSchema,
  sessionResponseSchema,
  type CredentialStampsResponse,
  type SessionResponse,
} from '../../shared/auth/index.js';
import { BreakTheGlassRegistry, type BreakTheGlassGrant } from './break-the-glass.js';
import type { Clock, CancelTask, Scheduler } from './clock.js';
import {
  checkAgainstDummy,
  checkVerifier,
  createVerifier,
  DEFAULT_CREDENTIAL_HASHING,
  pinProblem,
  type CredentialHashing,
} from './credential-hashing.js';
import type { CredentialStore, StoredCredentials } from './credential-store.js';
import type { HubLogin } from './hub-login.js';
import { hubRefusal } from './hub-refusal.js';
import { KeyedMutex } from './keyed-mutex.js';
import { isPermitted } from '../../shared/access/index.js';
import type { PowerEvents } from './power-events.js';
import { SessionError } from './session-error.js';
import type { CredentialRevocation, LockReason, SessionEvent, SessionEventSink, SignInFailure } from './session-events.js';
import {
  activeSession,
  initialSessionState,
  isServing,
  nextDeadline,
  reduceSession,
  sessionOf,
  type MachineEvent,
  type MachineSession,
  type MachineState,
  type SessionEffect,
} from './session-machine.js';
import { resolveSessionPolicy, type SessionPolicy } from './session-policy.js';
import { snapshotOf, type SessionSnapshot, type SessionView } from './session-snapshot.js';
import { normalizeUsername, type SessionUser, type SignInMode } from './session-user.js';

/** Wrong PINs in a row after which only the password resumes a session. */
export const MAX_PIN_FAILURES = 5;

/** A PIN may be set without re-typing the password this soon after a full authentication. */
export const PIN_SET_WITHOUT_PASSWORD_MS = 5 * 60_000;

/** An offline verifier stamped this far in the future (the clock was set back) is not trusted. */
const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;

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

export interface SignInResult {
  readonly snapshot: SessionSnapshot;
  readonly mode: SignInMode;
  /** True when the user's own locked session resumed instead of a new one starting. */
  readonly resumed: boolean;
  /** True when the hub could not be reached and the offline verifier was used instead. */
  readonly hubUnreachable: boolean;
}

/** The hub's tokens for the active user, held in memory only and dropped when the session ends. */
export interface HubTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accessExpiresAt: number;
  readonly refreshExpiresAt: number;
}

export interface RevokedCredential {
  readonly userId: string;
  readonly reason: CredentialRevocation;
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

/** A user token this close to its expiry is renewed before it is used. */
const HUB_TOKEN_RENEW_MARGIN_MS = 30_000;

export class SessionManager {
  readonly policy: SessionPolicy;
  readonly workstationWard: string;

  private state: MachineState;
  private closed = false;
  private timer: CancelTask | null = null;
  private timerAt: number | null = null;
  private generation = 0;
  private readonly btg: BreakTheGlassRegistry;
  private readonly hashing: CredentialHashing;
  private readonly logger: Logger;
  private readonly newSessionId: () => string;
  private readonly unsubscribePower: () => void;
  private readonly viewStates = new Map<string, unknown>();
  private readonly tokens = new Map<string, HubTokens>();
  private readonly passwordFailures = new Map<string, number>();
  private readonly userLocks = new KeyedMutex();
  private readonly purgeListeners = new Set<(notice: PurgeNotice) => void>();
  private readonly changeListeners = new Set<(snapshot: SessionSnapshot) => void>();
  private readonly btgStopListeners = new Set<(notice: BreakTheGlassStopNotice) => void>();

  constructor(private readonly options: SessionManagerOptions) {
    this.policy = resolveSessionPolicy(options.policy);
    this.workstationWard = options.workstationWard;
    this.hashing = options.hashing ?? DEFAULT_CREDENTIAL_HASHING;
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.newSessionId = options.newSessionId ?? randomUUID;
    this.btg = new BreakTheGlassRegistry(this.policy.breakTheGlassMs);
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

  /** Whether patient data may be served to the renderer right now: only while a session is active. */
  isServingPatientData(): boolean {
    this.catchUp();
    return isServing(this.state);
  }

  /**
   * A number that changes every time serving stops. A host API reads it before starting work and
   * drops its answer if it changed meanwhile, so a read begun before a lock is never delivered after.
   */
  servingGeneration(): number {
    this.catchUp();
    return this.generation;
  }

  /** The active session's view, or null. */
  activeUser(): SessionView | null {
    return this.current().active;
  }

  /** Whether `userId` holds a live break-the-glass grant for `patientId`. */
  isBreakTheGlassGranted(userId: string, patientId: string): boolean {
    this.catchUp();
    return this.btg.isGranted(userId, patientId, this.options.clock.now());
  }

  /** The active user's live break-the-glass grants. */
  breakTheGlassGrants(): BreakTheGlassGrant[] {
    const active = this.requireActive();
    return this.btg.grantsOf(active.user.userId, this.options.clock.now());
  }

  /** The active user's hub tokens (online sign-in only), or null. */
  hubTokens(): HubTokens | null {
    this.catchUp();
    const active = activeSession(this.state);
    return active === null ? null : (this.tokens.get(active.sessionId) ?? null);
  }

  /** The active user's own view state (what they had open), or null; another user never sees it. */
  viewState(): unknown {
    this.catchUp();
    const active = activeSession(this.state);
    return active === null ? null : (this.viewStates.get(active.sessionId) ?? null);
  }

  setViewState(value: unknown): void {
    const active = this.requireActive();
    this.viewStates.set(active.sessionId, value);
  }

  /** Whether `userId` could try a PIN now (a PIN is set and not locked out). */
  async canUnlockWithPin(userId: string): Promise<boolean> {
    const record = await this.options.credentials.get(userId);
    const session = sessionOf(this.currentState(), userId);
    return (
      record !== null && record.pinVerifier !== null && record.pinFailures < MAX_PIN_FAILURES && session !== null && !session.pinLockedOut
    );
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
    const { sessionId } = active;
    const userId = active.user.userId;
    const seen = this.tokens.get(sessionId);
    if (seen === undefined) return null;
    if (!options.renew && this.options.clock.now() < seen.accessExpiresAt - HUB_TOKEN_RENEW_MARGIN_MS) return seen.accessToken;
    return this.userLocks.run(`hub-token:${userId}`, async () => {
      const tokens = this.tokens.get(sessionId);
      if (tokens === undefined) return null;
      // Another call renewed them while this one waited.
      if (tokens !== seen && this.options.clock.now() < tokens.accessExpiresAt - HUB_TOKEN_RENEW_MARGIN_MS) return tokens.accessToken;
      const hub = this.options.hubLogin;
      if (hub?.refresh === undefined || this.options.clock.now() >= tokens.refreshExpiresAt) {
        this.tokens.delete(sessionId);
        return null;
      }
      const result = await hub.refresh(tokens.refreshToken);
      if (result.outcome === 'refused') {
        if (this.tokens.get(sessionId) === tokens) this.tokens.delete(sessionId);
        this.logger.info({ event: 'session.hub_token_refused', sessionId }, 'hub refused to renew the user token');
        return null;
      }
      const parsed = sessionResponseSchema.safeParse(result.session);
      if (!parsed.success || parsed.data.user.userId !== userId) {
        throw new SessionError(
          'HUB_ANSWER_INVALID',
          'The hub renewed your sign-in in a form this workstation cannot use. Ask IT to check that the hub and the workstation versions match.',
        );
      }
      // The session may have ended while the hub answered: its tokens are then not kept.
      if (this.tokens.get(sessionId) !== tokens) return null;
      const now = this.options.clock.now();
      const renewed: HubTokens = {
        accessToken: parsed.data.accessToken,
        refreshToken: parsed.data.refreshToken,
        accessExpiresAt: now + parsed.data.expiresIn * 1000,
        refreshExpiresAt: Math.min(tokens.refreshExpiresAt, now + parsed.data.refreshExpiresIn * 1000),
      };
      this.tokens.set(sessionId, renewed);
      return renewed.accessToken;
    });
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
  async signInOnline(username: string, password: string, totp?: string): Promise<SignInResult> {
    this.assertOpen();
    const name = normalizeUsername(username);
    const hub = this.options.hubLogin;
    let result;
    try {
      if (hub === undefined || hub === null) throw new Error('no hub configured');
      result = await hub.login(name, password, totp);
    } catch (cause) {
      this.logger.warn(
        { event: 'session.hub_unreachable', error: cause instanceof Error ? cause.name : 'unknown' },
        'hub login unreachable',
      );
      return this.signInAfterHubUnreachable(name, password);
    }
    this.assertOpen();
    if (result.outcome === 'refused') {
      const known = await this.options.credentials.findByUsername(name);
      const refusal = hubRefusal(result.code, result.message);
      this.failed('online', refusal.failure, known?.userId ?? null);
      if (refusal.revoke !== null && known !== null) await this.revoke(known.userId, refusal.revoke);
      throw refusal.error;
    }
    const parsed = sessionResponseSchema.safeParse(result.session);
    if (!parsed.success || parsed.data.offlineVerifier.userId !== parsed.data.user.userId) {
      const known = await this.options.credentials.findByUsername(name);
      this.failed('online', 'hub-answer-invalid', known?.userId ?? null);
      throw new SessionError(
        'HUB_ANSWER_INVALID',
        'The hub sent a sign-in answer this workstation cannot use. Ask IT to check that the hub and the workstation versions match.',
      );
    }
    return this.completeOnlineSignIn(parsed.data, password);
  }

  /** Signs in with the offline verifier kept at this user's last online sign-in here, within the grace period. */
  async signInOffline(username: string, password: string): Promise<SignInResult> {
    this.assertOpen();
    return this.offlineSignIn(normalizeUsername(username), password, false);
  }

  // ── PIN and unlocking ──────────────────────────────────────────────────────────────────────

  /**
   * Sets (or replaces) the active user's PIN: 4–8 digits, not trivial. Within a few minutes of a
   * full sign-in no password is needed; later, `password` must be given and right.
   */
  async setPin(pin: string, password?: string): Promise<void> {
    const active = this.requireActive();
    const userId = active.user.userId;
    const problem = pinProblem(pin);
    if (problem !== null) throw new SessionError('PIN_INVALID', problem);
    const record = await this.options.credentials.get(userId);
    if (record === null) throw new SessionError('REAUTH_REQUIRED', 'Sign in again with your password before setting a PIN.');
    if (this.options.clock.now() - active.fullAuthAt > PIN_SET_WITHOUT_PASSWORD_MS) {
      if (password === undefined) throw new SessionError('REAUTH_REQUIRED', 'Enter your password to set a PIN.');
      if (!(await checkVerifier(record.passwordVerifier, password))) throw new SessionError('BAD_CREDENTIALS', 'The password is wrong.');
    }
    const verifier = await createVerifier(pin, this.hashing.pin);
    await this.userLocks.run(userId, async () => {
      const still = activeSession(this.currentState());
      if (still === null || still.sessionId !== active.sessionId)
        throw new SessionError('LOCKED', 'The session locked before the PIN was saved. Unlock it and set the PIN again.');
      const latest = await this.options.credentials.get(userId);
      if (latest === null) throw new SessionError('REAUTH_REQUIRED', 'Sign in again with your password before setting a PIN.');
      await this.options.credentials.put({ ...latest, pinVerifier: verifier, pinSetAt: this.options.clock.now(), pinFailures: 0 });
    });
    this.dispatch({ type: 'pinSet', userId });
  }

  /** Resumes `userId`'s own locked session with their PIN. Five wrong PINs in a row: only the password works. */
  async unlockWithPin(userId: string, pin: string): Promise<SessionSnapshot> {
    this.assertOpen();
    this.requireLocked(userId);
    return this.userLocks.run(userId, async () => {
      const session = this.requireLocked(userId);
      const record = await this.options.credentials.get(userId);
      if (record === null || record.pinVerifier === null) {
        throw new SessionError('PIN_NOT_SET', 'No PIN is set for this account on this workstation. Unlock with your password.');
      }
      if (record.pinFailures >= MAX_PIN_FAILURES || session.pinLockedOut) throw pinLockedOut();
      // The attempt is counted before it is checked, so a crash or a parallel attempt cannot skip the count.
      const failures = record.pinFailures + 1;
      await this.options.credentials.put({ ...record, pinFailures: failures });
      const ok = /^\d{4,8}$/.test(pin) && (await checkVerifier(record.pinVerifier, pin));
      if (ok) {
        await this.resetPinFailures(userId);
        this.dispatch({ type: 'pinOk', userId });
        return this.afterResume(userId);
      }
      const lockedOut = failures >= MAX_PIN_FAILURES;
      this.dispatch({ type: 'pinFailed', userId, failures, lockedOut });
      if (lockedOut) throw pinLockedOut();
      const left = MAX_PIN_FAILURES - failures;
      throw new SessionError('WRONG_PIN', `Wrong PIN. ${left} ${left === 1 ? 'try' : 'tries'} left before your password is needed.`);
    });
  }

  /** Resumes `userId`'s own locked session with their password (also clears a PIN lockout). */
  async unlockWithPassword(userId: string, password: string): Promise<SessionSnapshot> {
    this.assertOpen();
    this.requireLocked(userId);
    return this.userLocks.run(userId, async () => {
      const session = this.requireLocked(userId);
      const record = await this.options.credentials.get(userId);
      if (record === null) throw noLockedSession();
      if (await checkVerifier(record.passwordVerifier, password)) {
        this.passwordFailures.delete(session.sessionId);
        await this.resetPinFailures(userId);
        this.dispatch({ type: 'passwordOk', userId });
        return this.afterResume(userId);
      }
      const failures = (this.passwordFailures.get(session.sessionId) ?? 0) + 1;
      this.passwordFailures.set(session.sessionId, failures);
      this.dispatch({ type: 'passwordFailed', userId, failures });
      throw new SessionError('BAD_CREDENTIALS', 'The password is wrong.');
    });
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
    const parsed = credentialStampsResponseSchema.safeParse(response);
    if (!parsed.success)
      throw new SessionError(
        'HUB_ANSWER_INVALID',
        'The hub sent credential stamps this workstation cannot read. Ask IT to check that the hub and the workstation versions match.',
      );
    if (parsed.data.ward !== this.workstationWard) {
      throw new SessionError(
        'STAMPS_WRONG_WARD',
        "The hub sent credential stamps for another ward. Ask IT to check this workstation's enrollment.",
      );
    }
    const byUser = new Map(parsed.data.users.map((u) => [u.userId, u]));
    const revoked: RevokedCredential[] = [];
    for (const record of await this.options.credentials.list()) {
      const entry = byUser.get(record.userId);
      const reason: CredentialRevocation | null =
        entry === undefined
          ? 'removed-from-ward'
          : entry.disabled
            ? 'account-disabled'
            : entry.credentialStamp !== record.credentialStamp
              ? 'credentials-changed'
              : null;
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

  /** Ends the active user's grant for `patientId` before it expires. */
  endBreakTheGlass(patientId: string): void {
    const active = this.requireActive();
    for (const event of this.btg.stop(active.user.userId, patientId, this.options.clock.now())) this.record(event);
    this.reschedule();
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
    this.cancelTimer();
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private async signInAfterHubUnreachable(name: string, password: string): Promise<SignInResult> {
    if (!this.policy.allowOfflineSignIn) {
      const known = await this.options.credentials.findByUsername(name);
      this.failed('online', 'hub-unreachable', known?.userId ?? null);
      throw new SessionError(
        'HUB_UNREACHABLE',
        "The hub cannot be reached, and this workstation's policy does not allow offline sign-in. Check the network, or ask IT.",
      );
    }
    try {
      return await this.offlineSignIn(name, password, true);
    } catch (error) {
      if (error instanceof SessionError && (error.code === 'OFFLINE_UNKNOWN_USER' || error.code === 'OFFLINE_EXPIRED')) {
        throw new SessionError(error.code, `The hub cannot be reached. ${error.message}`);
      }
      throw error;
    }
  }

  private async offlineSignIn(name: string, password: string, hubUnreachable: boolean): Promise<SignInResult> {
    if (!this.policy.allowOfflineSignIn) {
      this.failed('offline', 'offline-not-allowed', null);
      throw new SessionError(
        'OFFLINE_NOT_ALLOWED',
        "This workstation's policy does not allow offline sign-in. Sign in when the hub can be reached.",
      );
    }
    const record = await this.options.credentials.findByUsername(name);
    if (record === null) {
      await checkAgainstDummy(password, this.hashing.password);
      this.failed('offline', 'unknown-user', null);
      throw new SessionError(
        'OFFLINE_UNKNOWN_USER',
        'This account has not signed in on this workstation while it was online, so it cannot sign in offline. Sign in when the network is back, or use a workstation that is online.',
      );
    }
    const age = this.options.clock.now() - record.verifiedAt;
    if (age >= this.policy.offlineGraceMs || age < -CLOCK_SKEW_TOLERANCE_MS) {
      this.failed('offline', 'verifier-expired', record.userId);
      const hours = Math.round(this.policy.offlineGraceMs / 3_600_000);
      throw new SessionError(
        'OFFLINE_EXPIRED',
        `Offline sign-in on this workstation works for ${hours} hours after your last online sign-in here, and that time is over. Sign in when the network is back.`,
      );
    }
    if (!(await checkVerifier(record.passwordVerifier, password))) {
      this.failed('offline', 'bad-credentials', record.userId);
      throw new SessionError('BAD_CREDENTIALS', 'The username or password is wrong.');
    }
    this.assertOpen();
    const still = await this.options.credentials.get(record.userId);
    if (still === null || still.credentialStamp !== record.credentialStamp || still.passwordVerifier !== record.passwordVerifier) {
      this.failed('offline', 'unknown-user', record.userId);
      throw new SessionError(
        'OFFLINE_UNKNOWN_USER',
        "This account's offline sign-in was withdrawn by the hub a moment ago. Sign in when the network is back.",
      );
    }
    await this.resetPinFailures(record.userId);
    return this.completeSignIn(userOf(record), 'offline', hubUnreachable, null);
  }

  private async completeOnlineSignIn(session: SessionResponse, password: string): Promise<SignInResult> {
    const verifierInfo = session.offlineVerifier;
    const stored: SessionUser = {
      userId: verifierInfo.userId,
      username: normalizeUsername(verifierInfo.username),
      role: verifierInfo.role,
      wards: verifierInfo.wards,
    };
    const passwordVerifier = await createVerifier(password, this.hashing.password);
    const now = this.options.clock.now();
    await this.userLocks.run(stored.userId, async () => {
      const previous = await this.options.credentials.get(stored.userId);
      // A new credential stamp means the password changed or the account was re-enabled: the old PIN goes too.
      const keepPin = previous !== null && previous.credentialStamp === verifierInfo.credentialStamp;
      await this.options.credentials.put({
        ...stored,
        credentialStamp: verifierInfo.credentialStamp,
        mfaRequired: verifierInfo.mfaRequired,
        passwordVerifier,
        verifiedAt: now,
        pinVerifier: keepPin ? previous.pinVerifier : null,
        pinSetAt: keepPin ? previous.pinSetAt : null,
        pinFailures: 0,
      });
    });
    this.assertOpen();
    const user: SessionUser = {
      userId: session.user.userId,
      username: normalizeUsername(session.user.username),
      role: session.user.role,
      wards: session.user.wards,
    };
    const tokens: HubTokens = {
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      accessExpiresAt: now + session.expiresIn * 1000,
      refreshExpiresAt: now + session.refreshExpiresIn * 1000,
    };
    return this.completeSignIn(user, 'online', false, tokens);
  }

  private completeSignIn(user: SessionUser, mode: SignInMode, hubUnreachable: boolean, tokens: HubTokens | null): SignInResult {
    const before = sessionOf(this.currentState(), user.userId);
    const sessionId = before?.sessionId ?? this.newSessionId();
    this.dispatch({ type: 'signedIn', sessionId, user, mode });
    if (tokens !== null) this.tokens.set(sessionId, tokens);
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

  private failed(mode: SignInMode, failure: SignInFailure, userId: string | null): void {
    this.dispatch({ type: 'signInFailed', mode, failure, userId });
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
        this.viewStates.delete(effect.sessionId);
        this.tokens.delete(effect.sessionId);
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

  /**
   * Keeps one wake-up at the earliest deadline. A wake-up already set no later than that is kept
   * (activity only moves deadlines later; the early wake-up finds nothing due and sets the next),
   * so a stream of activity reports does not churn timers.
   */
  private reschedule(): void {
    if (this.closed) return;
    const deadline = nextDeadline(this.state)?.at ?? null;
    const expiry = this.btg.nextExpiry();
    const at = deadline === null ? expiry : expiry === null ? deadline : Math.min(deadline, expiry);
    if (at === null) return;
    if (this.timer !== null && this.timerAt !== null && this.timerAt <= at) return;
    this.cancelTimer();
    this.timerAt = at;
    this.timer = this.options.scheduler.schedule(at, () => {
      this.timer = null;
      this.timerAt = null;
      if (!this.closed) this.dispatch({ type: 'tick' });
    });
  }

  private cancelTimer(): void {
    this.timer?.();
    this.timer = null;
    this.timerAt = null;
  }

  private assertOpen(): void {
    if (this.closed) throw new SessionError('CLOSED', 'The session service has shut down. Restart Wardline.');
  }
}

function userOf(record: StoredCredentials): SessionUser {
  return { userId: record.userId, username: record.username, role: record.role, wards: [...record.wards] };
}

function pinLockedOut(): SessionError {
  return new SessionError('PIN_LOCKED_OUT', 'Too many wrong PINs. Unlock with your password.');
}

function noLockedSession(): SessionError {
  return new SessionError(
    'NO_LOCKED_SESSION',
    'This session is no longer waiting to be unlocked (it was signed out or has expired). Sign in again.',
  );
}
