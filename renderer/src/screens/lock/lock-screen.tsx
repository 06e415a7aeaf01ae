// The lock screen: the locked sessions (who, since when); the owner picks theirs and types the
// PIN, or the password after too many wrong PINs; "Switch user" lets someone else sign in while
// the locked sessions stay. Holds no patient data: it is drawn after the purge reload. A sign-in
// here (another user's, or the owner's password) is told to the shell like one on the sign-in
// screen, so a user's first online sign-in on this workstation brings the PIN offer here too.
import { useEffect, useState } from 'react';
import type { SessionSnapshotData, SessionViewData } from '../../../../shared/contract/index.js';
import { formatRecentTime } from '../../../../shared/display/index.js';
import { PreSessionStatus } from '../../shell/pre-session-status.js';
import { roleName } from '../../shell/role-abilities.js';
import { SignInForm } from '../sign-in/sign-in-form.js';
import type { Reachability } from '../sign-in/sign-in-outcome.js';
import { PinForm } from './pin-form.js';

export interface LockScreenProps {
  readonly snapshot: SessionSnapshotData;
  readonly onSnapshot: (snapshot: SessionSnapshotData) => void;
  /** A sign-in from this screen (switch user, or unlocking with the password); `offerPin` as on the sign-in screen. */
  readonly onSignedIn: (snapshot: SessionSnapshotData, signIn?: { readonly offerPin: boolean }) => void;
  /** Re-reads session:state (a session ended while the screen showed it). */
  readonly onReload: () => void;
  readonly reachability: Reachability;
  readonly onReachability: (reachability: Reachability) => void;
}

type Mode =
  | { readonly kind: 'choose' }
  | { readonly kind: 'pin'; readonly userId: string }
  | { readonly kind: 'password'; readonly userId: string; readonly note: string | null }
  | { readonly kind: 'switch' };

const LOCK_REASONS: Readonly<Record<NonNullable<SessionViewData['lockReason']>, string>> = {
  idle: 'locked after a time without activity',
  manual: 'locked',
  'os-lock': 'locked with the computer’s screen lock',
  suspend: 'locked when the computer went to sleep',
  switch: 'locked to let another user sign in',
};

let lockMarked = false;

/** A PIN for a user who has one (and is not locked out of it); the password otherwise, saying why. */
function modeFor(session: SessionViewData): Mode {
  if (session.pinLockedOut) return { kind: 'password', userId: session.userId, note: 'Too many wrong PINs. Unlock with your password.' };
  if (session.hasPin === false)
    return { kind: 'password', userId: session.userId, note: 'You have no PIN on this workstation. Unlock with your password.' };
  return { kind: 'pin', userId: session.userId };
}

function initialMode(locked: readonly SessionViewData[]): Mode {
  const only = locked.length === 1 ? locked[0] : undefined;
  return only === undefined ? { kind: 'choose' } : modeFor(only);
}

export function LockScreen(props: LockScreenProps): React.JSX.Element {
  const locked = props.snapshot.locked;
  const [mode, setMode] = useState<Mode>(() => initialMode(locked));

  useEffect(() => {
    if (lockMarked) return;
    lockMarked = true;
    performance.mark('wardline:lock-shown');
  }, []);

  const selectedId = mode.kind === 'pin' || mode.kind === 'password' ? mode.userId : null;
  const selected = locked.find((s) => s.userId === selectedId) ?? null;
  const choose = (session: SessionViewData): void => setMode(modeFor(session));

  return (
    <div className="page">
      <PreSessionStatus reachability={props.reachability} />
      <main className="centre-page" aria-labelledby="lock-title">
        <div className="card card--wide">
          <h1 id="lock-title">Wardline is locked</h1>
          {mode.kind === 'switch' ? (
            <>
              <h2>Sign in as another user</h2>
              <p>The locked sessions stay: their owners can resume them later with their PIN.</p>
              <SignInForm onSignedIn={props.onSignedIn} onReachability={props.onReachability} />
              <button type="button" className="button button--link" onClick={() => setMode(initialMode(locked))}>
                Back to the locked sessions
              </button>
            </>
          ) : (
            <>
              <p>Only the person who locked a session can resume it. Choose your name.</p>
              <ul className="session-list" aria-label="Locked sessions">
                {locked.map((session) => (
                  <li key={session.sessionId}>
                    <button
                      type="button"
                      className="session-choice"
                      aria-pressed={session.userId === selectedId}
                      onClick={() => choose(session)}
                    >
                      <span className="session-choice__name">{session.username}</span>
                      <span className="session-choice__detail">
                        {roleName(session.role)} · {LOCK_REASONS[session.lockReason ?? 'manual']}
                        {session.lockedAt === null ? '' : ` since ${formatRecentTime(session.lockedAt)}`}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
              {selected !== null && mode.kind === 'pin' ? (
                <PinForm
                  key={selected.sessionId}
                  session={selected}
                  onUnlocked={props.onSnapshot}
                  onPasswordNeeded={(note) => setMode({ kind: 'password', userId: selected.userId, note })}
                  onGone={props.onReload}
                />
              ) : null}
              {selected !== null && mode.kind === 'pin' ? (
                <button
                  type="button"
                  className="button button--link"
                  onClick={() => setMode({ kind: 'password', userId: selected.userId, note: null })}
                >
                  Use my password instead
                </button>
              ) : null}
              {selected !== null && mode.kind === 'password' ? (
                <div key={selected.sessionId}>
                  {mode.note === null ? null : (
                    <p className="message message--warning" role="alert">
                      {mode.note}
                    </p>
                  )}
                  <SignInForm
                    fixedUsername={selected.username}
                    submitLabel="Unlock with password"
                    onSignedIn={props.onSignedIn}
                    onReachability={props.onReachability}
                  />
                </div>
              ) : null}
              <div className="actions actions--split">
                <button type="button" className="button" onClick={() => setMode({ kind: 'switch' })}>
                  Switch user
                </button>
              </div>
            </>
          )}
        </div>
      </main>
    </div>
  );
}
