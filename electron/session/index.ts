// The sessions room: who is signed in on this workstation. Owns online/offline sign-in, PIN unlock,
// the lock state machine and its timers, roles and ward scope, break-the-glass, and the API guard.
export { SessionManager, type PurgeNotice, type BreakTheGlassStopNotice } from './session-manager.js';
export { guard, type GuardedSessions, type GuardedPatient, type UserContext } from './guard.js';
export { SessionError, isSessionError } from './session-error.js';
export { type SessionSnapshot } from './session-snapshot.js';
export { ACTIONS, isAction, isPermitted, type Action } from '../../shared/access/index.js';
export { isRestricted, CONFIDENTIALITY_SYSTEM } from '../../shared/access/index.js';
export { DEFAULT_SESSION_POLICY, type SessionPolicy } from './session-policy.js';
export { MemorySessionEventSink, type SessionEvent, type SessionEventSink } from './session-events.js';
export { InMemoryCredentialStore, type CredentialStore, type StoredCredentials } from './credential-store.js';
export { DEFAULT_CREDENTIAL_HASHING, type Argon2idParams, type CredentialHashing } from './credential-hashing.js';
export type { HubLogin, HubLoginResult } from './hub-login.js';
export { SystemClock, timerScheduler, type Clock, type Scheduler } from './clock.js';
export { FakeClock, FAKE_CLOCK_START } from './fake-clock.js';
export { ControllablePowerEvents, type PowerEvents, type PowerEventKind } from './power-events.js';
export { normalizeUsername, type StaffRole } from './session-user.js';
