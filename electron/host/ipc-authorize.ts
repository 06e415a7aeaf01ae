// The permission check of the IPC router, over the sessions room: a public channel needs nobody,
// a session channel an active (unlocked) session, an action channel the session guard's yes
// (active session, role, ward scope). Patient-level checks stay with the handlers.
import type { ChannelPermission } from '../../shared/contract/index.js';
import { guard, isAction, SessionError, type GuardedSessions } from '../session/index.js';
import type { Caller } from './ipc-router.js';

export function sessionAuthorizer(sessions: GuardedSessions): (permission: ChannelPermission) => Caller | null {
  return (permission) => {
    if (permission === 'public') {
      const active = sessions.current().active;
      return active === null ? null : { sessionId: active.sessionId, userId: active.userId };
    }
    if (permission === 'session') {
      const snapshot = sessions.current();
      if (snapshot.active !== null) return { sessionId: snapshot.active.sessionId, userId: snapshot.active.userId };
      if (snapshot.status === 'locked') throw new SessionError('LOCKED', 'The workstation is locked. Unlock it to continue.');
      throw new SessionError('NOT_SIGNED_IN', 'Nobody is signed in on this workstation. Sign in to continue.');
    }
    if (!isAction(permission)) {
      throw new SessionError(
        'FORBIDDEN',
        `This workstation does not know the permission "${permission}". Ask IT to check that Wardline is installed completely.`,
      );
    }
    const user = guard(sessions, { action: permission });
    return { sessionId: user.sessionId, userId: user.userId };
  };
}
