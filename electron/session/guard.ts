// The guard on every host API: before anything touches the vault it checks that a session is
// active, that the user's role permits the action, and that the patient is in the user's ward
// scope (or covered by a live break-the-glass grant). It answers with the user, or throws.
import { isPatientDataAction, isPermitted, wardScope, type Action } from '../../shared/access/index.js';
import { SessionError } from './session-error.js';
import type { SessionSnapshot } from './session-snapshot.js';
import type { StaffRole } from './session-user.js';

/** What the guard needs of the session manager (SessionManager fits). */
export interface GuardedSessions {
  readonly workstationWard: string;
  current(): SessionSnapshot;
  isBreakTheGlassGranted(userId: string, patientId: string): boolean;
}

export interface GuardedPatient {
  /** The Patient's resource id (never a name or MRN). */
  readonly id: string;
  /** Whether the patient is on this workstation's ward (an in-progress Encounter here). */
  readonly onWard: boolean;
  /** meta.security says R or V (see isRestricted). */
  readonly restricted: boolean;
}

export interface GuardRequest {
  readonly action: Action;
  readonly patient?: GuardedPatient;
}

/** Who is asking, as every host service receives it once the guard let the call through. */
export interface UserContext {
  readonly sessionId: string;
  readonly userId: string;
  readonly username: string;
  readonly role: StaffRole;
  /** The user's wards ∩ this workstation's ward. */
  readonly scope: readonly string[];
  readonly workstationWard: string;
  /** True when access to this patient rests on a break-the-glass grant (audit it as such). */
  readonly viaBreakTheGlass: boolean;
}

export function guard(sessions: GuardedSessions, request: GuardRequest): UserContext {
  const snapshot = sessions.current();
  const active = snapshot.active;
  if (active === null) {
    if (snapshot.status === 'locked') throw new SessionError('LOCKED', 'The workstation is locked. Unlock it to continue.');
    throw new SessionError(
      'NOT_SIGNED_IN',
      snapshot.status === 'expired'
        ? 'Your session has ended (time limit reached). Sign in again to continue.'
        : 'Nobody is signed in on this workstation. Sign in to continue.',
    );
  }
  if (!isPermitted(active.role, request.action)) {
    throw new SessionError(
      'FORBIDDEN',
      `Your role (${active.role}) does not allow this (${request.action}). Ask a colleague whose role does, or IT if this is wrong.`,
    );
  }
  const scope = wardScope(active.wards, sessions.workstationWard);
  const context = (viaBreakTheGlass: boolean): UserContext => ({
    sessionId: active.sessionId,
    userId: active.userId,
    username: active.username,
    role: active.role,
    scope,
    workstationWard: sessions.workstationWard,
    viaBreakTheGlass,
  });
  if (!isPatientDataAction(request.action)) return context(false);
  const patient = request.patient;
  if (patient === undefined) {
    if (scope.length === 0) throw outOfScope();
    return context(false);
  }
  const needsGlass = patient.restricted || !patient.onWard || scope.length === 0;
  if (!needsGlass) return context(false);
  if (sessions.isBreakTheGlassGranted(active.userId, patient.id)) return context(true);
  if (isPermitted(active.role, 'btg:use')) {
    throw new SessionError(
      'BTG_REQUIRED',
      patient.restricted
        ? 'This chart is restricted. To open it, use emergency access and give a reason; the access is time-limited and audited.'
        : 'This patient is not on your ward here. To open the chart, use emergency access and give a reason; the access is time-limited and audited.',
    );
  }
  if (patient.restricted)
    throw new SessionError('FORBIDDEN', 'This chart is restricted and your role cannot use emergency access. Ask a nurse or physician.');
  throw outOfScope();
}

function outOfScope(): SessionError {
  return new SessionError(
    'OUT_OF_SCOPE',
    'This is outside the wards you are assigned to on this workstation. Ask IT if your ward assignment is wrong.',
  );
}
