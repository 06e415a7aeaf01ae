// The session channels, answered by the sessions room's SessionManager.
import type { SessionManager, SessionSnapshot } from '../session/index.js';
import { HostError } from './host-error.js';
import type { IpcHandler } from './ipc-router.js';

export type SessionService = Pick<
  SessionManager,
  | 'current'
  | 'signInOnline'
  | 'signInOffline'
  | 'unlockWithPin'
  | 'lock'
  | 'signOut'
  | 'switchUser'
  | 'setPin'
  | 'recordActivity'
  | 'startBreakTheGlass'
>;

export interface SessionHandlers {
  readonly 'session:state': IpcHandler<'session:state'>;
  readonly 'session:sign-in': IpcHandler<'session:sign-in'>;
  readonly 'session:unlock-pin': IpcHandler<'session:unlock-pin'>;
  readonly 'session:lock': IpcHandler<'session:lock'>;
  readonly 'session:sign-out': IpcHandler<'session:sign-out'>;
  readonly 'session:switch-user': IpcHandler<'session:switch-user'>;
  readonly 'session:set-pin': IpcHandler<'session:set-pin'>;
  readonly 'session:activity': IpcHandler<'session:activity'>;
  readonly 'session:break-glass': IpcHandler<'session:break-glass'>;
}

/**
 * `isCached`: whether the workstation holds the patient: their chart in the cache, or an unresolved
 * conflict of theirs (kept after the chart was purged; a restricted one is opened to settle it this
 * way). Break-the-glass on this channel opens a restricted chart of this ward; a patient who is not
 * held (off the ward) is opened by MRN through chart:open-off-ward instead, so a grant here for an
 * unknown id is refused (and never recorded as a break-the-glass start for a chart that cannot be shown).
 */
export function sessionHandlers(
  sessions: SessionService,
  isCached: (patientId: string) => boolean = () => true,
  hasPin?: (userId: string) => Promise<boolean>,
): SessionHandlers {
  const told = (snapshot: SessionSnapshot): Promise<SessionSnapshot> => withPins(snapshot, hasPin);
  return {
    'session:state': () => told(sessions.current()),
    'session:sign-in': async ({ username, password, totp, offline }) => {
      const result =
        offline === true ? await sessions.signInOffline(username, password, totp) : await sessions.signInOnline(username, password, totp);
      return { ...result, snapshot: await told(result.snapshot) };
    },
    'session:unlock-pin': async ({ userId, pin }) => told(await sessions.unlockWithPin(userId, pin)),
    'session:lock': () => {
      sessions.lock('manual');
      return told(sessions.current());
    },
    'session:sign-out': () => {
      sessions.signOut();
      return told(sessions.current());
    },
    'session:switch-user': () => {
      sessions.switchUser();
      return told(sessions.current());
    },
    'session:set-pin': async ({ pin, password }) => {
      await sessions.setPin(pin, password);
      return {};
    },
    'session:activity': () => {
      sessions.recordActivity();
      return {};
    },
    'session:break-glass': ({ patientId, reasonCode, reasonText }) => {
      if (!isCached(patientId)) {
        throw new HostError(
          'NOT_IN_CACHE',
          'This chart is not on this workstation. To open a patient from another ward, use "Open a chart from another ward" with their MRN.',
        );
      }
      const grant = sessions.startBreakTheGlass(patientId, reasonCode, reasonText);
      return { patientId: grant.patientId, expiresAt: new Date(grant.expiresAt).toISOString() };
    },
  };
}

/** The snapshot with, per session, whether its user has a PIN here (so the lock screen asks for the right thing). */
async function withPins(snapshot: SessionSnapshot, hasPin: ((userId: string) => Promise<boolean>) | undefined): Promise<SessionSnapshot> {
  if (hasPin === undefined) return snapshot;
  const mark = async <T extends { userId: string }>(view: T): Promise<T & { hasPin: boolean }> => ({
    ...view,
    hasPin: await hasPin(view.userId),
  });
  return {
    ...snapshot,
    active: snapshot.active === null ? null : await mark(snapshot.active),
    locked: await Promise.all(snapshot.locked.map(mark)),
  };
}
