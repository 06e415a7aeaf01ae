// The session guard with the patient in hand, as the handlers ask it: the patient as the chart cache
// knows them (ward scope, restriction, break-the-glass), and for data kept beside the chart (the
// outbox, conflicts) a patient the cache no longer holds counts as off the ward.
import { guard, type Action, type GuardedSessions, type UserContext } from '../session/index.js';
import type { PatientLookup } from './chart-handlers.js';

/** The guard's answer for `action` on `patientId`; a patient not cached is left to the query (it finds nothing). */
export function guardPatient(sessions: GuardedSessions, patients: PatientLookup, action: Action, patientId: string): UserContext {
  const patient = patients(patientId);
  return guard(sessions, patient === null ? { action } : { action, patient });
}

/** As guardPatient, but a patient the cache does not hold (discharged, purged) needs break-the-glass. */
export function guardKeptPatient(sessions: GuardedSessions, patients: PatientLookup, action: Action, patientId: string): UserContext {
  return guard(sessions, { action, patient: patients(patientId) ?? { id: patientId, onWard: false, restricted: false } });
}

/** The guard for several actions on one patient (all must pass); the last answer. */
export function guardAll(check: (action: Action) => UserContext, actions: readonly Action[]): UserContext {
  let user: UserContext | null = null;
  for (const action of actions) user = check(action);
  if (user === null) throw new TypeError('guardAll needs at least one action');
  return user;
}
