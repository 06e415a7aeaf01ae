// The session room's SessionEventSink, implemented by the audit log: each sign-in, failed sign-in,
// lock, unlock, user switch, PIN event, sign-out and break-the-glass start or stop becomes one
// entry, stamped with the time the session room gives (a timeout's own deadline). `record` commits
// before it returns; a failure throws, and the session manager logs it without staying unlocked.
import type { SessionEvent, SessionEventSink } from '../session/index.js';
import type { NewAuditEntry } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';

export function sessionEventEntry(event: SessionEvent): NewAuditEntry {
  const at = event.at;
  switch (event.type) {
    case 'sign-in':
      return {
        action: 'sign-in',
        at,
        user: event.userId,
        session: event.sessionId,
        detail: { mode: event.mode, resumed: event.outcome === 'resumed-session' },
      };
    case 'sign-in-failed':
      return {
        action: 'sign-in-failed',
        at,
        user: event.userId,
        outcome: 'minor-failure',
        detail: { mode: event.mode, reason: event.reason, username: event.username },
      };
    case 'lock':
      return {
        action: 'lock',
        at,
        user: event.userId,
        session: event.sessionId,
        requestor: event.reason === 'manual',
        detail: { reason: event.reason },
      };
    case 'unlock':
      return { action: 'unlock', at, user: event.userId, session: event.sessionId, detail: { method: event.method } };
    case 'unlock-failed':
      return {
        action: 'unlock-failed',
        at,
        user: event.userId,
        session: event.sessionId,
        outcome: 'minor-failure',
        detail: { method: event.method, failures: event.failures, reason: 'wrong credentials' },
      };
    case 'pin-lockout':
      return {
        action: 'pin-lockout',
        at,
        user: event.userId,
        session: event.sessionId,
        outcome: 'minor-failure',
        requestor: false,
        detail: { reason: 'too many wrong PINs; password required' },
      };
    case 'pin-set':
      return { action: 'pin-set', at, user: event.userId, session: event.sessionId };
    case 'switch':
      return { action: 'user-switch', at, user: event.toUserId, session: event.toSessionId, detail: { fromUser: event.fromUserId } };
    case 'sign-out':
      return {
        action: 'sign-out',
        at,
        user: event.userId,
        session: event.sessionId,
        requestor: event.byUser,
        detail: { reason: event.reason },
      };
    case 'offline-verifier-revoked':
      return { action: 'verifier-revoked', at, user: event.userId, requestor: false, detail: { reason: event.reason } };
    case 'btg-start':
      return {
        action: 'btg-start',
        at,
        user: event.userId,
        session: event.sessionId,
        patient: event.patientId,
        resources: [`Patient/${event.patientId}`],
        purposeOfUse: event.reasonCode,
        detail: { reasonCode: event.reasonCode, justification: event.reasonText, expiresAt: new Date(event.expiresAt).toISOString() },
      };
    case 'btg-stop':
      return {
        action: 'btg-stop',
        at,
        user: event.userId,
        session: event.sessionId,
        patient: event.patientId,
        resources: [`Patient/${event.patientId}`],
        requestor: event.reason === 'ended',
        detail: { reason: event.reason },
      };
  }
}

/** A SessionEventSink writing each session event to `log` (commits before it returns). */
export function sessionAuditSink(log: AuditLog): SessionEventSink {
  return {
    record(event) {
      log.record(sessionEventEntry(event));
    },
  };
}
