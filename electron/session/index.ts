// The sessions room: who is signed in on this workstation. Owns online/offline sign-in, PIN unlock,
// the lock state machine and its timers, roles and ward scope, break-the-glass, and the API guard.
export {
  SessionManager,
  MAX_PIN_FAILURES,
  PIN_SET_WITHOUT_PASSWORD_MS,
  type SessionManagerOptions,
  type SignInResult,
  type HubTokens,
  type RevokedCredential,
  type PurgeNotice,
  type BreakTheGlassStopNotice,
} from './session-manager.js';
export { guard, type GuardedSessions, type GuardedPatient, type GuardRequest, type UserContext } from './guard.js';
export { SessionError, isSessionError, type SessionErrorCode } from './session-error.js';
export { type SessionSnapshot, type SessionView, type WorkstationStatus } from './session-snapshot.js';
export {
  reduceSession,
  initialSessionState,
  nextDeadline,
  isServing,
  activeSession,
  lockedSessions,
  type MachineState,
  type MachineEvent,
  type MachineSession,
  type SessionEffect,
  type Transition,
  type EndedSession,
} from './session-machine.js';
export {
  ACTIONS,
  CHART_CATEGORIES,
  isAction,
  isPermitted,
  permittedActions,
  isPatientDataAction,
  wardScope,
  type Action,
  type ChartCategory,
} from '../../shared/access/index.js';
export { BreakTheGlassRegistry, type BreakTheGlassGrant } from './break-the-glass.js';
export { isRestricted, CONFIDENTIALITY_SYSTEM, type SecurityLabelled } from '../../shared/access/index.js';
export { DEFAULT_SESSION_POLICY, resolveSessionPolicy, type SessionPolicy } from './session-policy.js';
export {
  MemorySessionEventSink,
  type SessionEvent,
  type SessionEventType,
  type SessionEventSink,
  type LockReason,
  type UnlockMethod,
  type SignOutReason,
  type SignInFailure,
  type CredentialRevocation,
} from './session-events.js';
export { InMemoryCredentialStore, type CredentialStore, type StoredCredentials } from './credential-store.js';
export {
  DEFAULT_CREDENTIAL_HASHING,
  PASSWORD_VERIFIER_PARAMS,
  PIN_VERIFIER_PARAMS,
  pinProblem,
  type Argon2idParams,
  type CredentialHashing,
} from './credential-hashing.js';
export type { HubLogin, HubLoginResult } from './hub-login.js';
export { SystemClock, timerScheduler, type Clock, type Scheduler, type CancelTask } from './clock.js';
export { FakeClock, FAKE_CLOCK_START } from './fake-clock.js';
export { ControllablePowerEvents, POWER_EVENT_KINDS, type PowerEvents, type PowerEventKind } from './power-events.js';
export { STAFF_ROLES, normalizeUsername, type StaffRole, type SessionUser, type SignInMode } from './session-user.js';
