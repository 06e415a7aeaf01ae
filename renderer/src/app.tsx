// The application shell: from the host's answer to who is at the workstation (session:state, first
// asked by shell/host-start.ts before React loaded) it shows the sign-in screen, the lock screen or
// the signed-in frame (or, on a workstation not set up yet, the set-up screen). Purge-on-lock lives here: a purge takes the page out of the document
// and covers it at once, then reloads the document and empties the tree (shell/purge.ts).
import { Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { SETUP_ERROR_CODES, type SessionSnapshotData } from '../../shared/contract/index.js';
import { call, hostApi, HostRequestError } from './host-api.js';
import { pruneViews } from './lib/view-state.js';
import { LockScreen } from './screens/lock/lock-screen.js';
import { SetupScreen } from './screens/setup/setup-screen.js';
import { SignInScreen } from './screens/sign-in/sign-in-screen.js';
import type { Reachability } from './screens/sign-in/sign-in-outcome.js';
import './shell/pressable-style.js';
import type { FirstAnswer } from './shell/host-start.js';
import { holdSession, onPurge, purgeAndReload } from './shell/purge.js';
import { preloadable, whenIdle } from './shell/preloadable.js';
import { Splash } from './shell/splash.js';

// The signed-in frame (census, charts, dialogs) is a separate chunk: the lock and sign-in screens
// that follow a purge reload stay small and fast. It is fetched while the user types.
const frame = preloadable(() => import('./shell/frame.js').then((m) => m.Frame));
const Frame = frame.Component;

/** The sessions a snapshot knows of (their saved view state is kept; the rest is dropped). */
function knownSessionIds(snapshot: SessionSnapshotData): string[] {
  return [...(snapshot.active === null ? [] : [snapshot.active.sessionId]), ...snapshot.locked.map((s) => s.sessionId)];
}

export function App(props: { first: FirstAnswer }): React.JSX.Element | null {
  const [purged, setPurged] = useState(false);
  // Synchronous, so the (already detached) tree is dropped before the purge's task ends (the reload has already begun).
  useEffect(() => onPurge(() => flushSync(() => setPurged(true))), []);
  if (purged) return null;
  return <Workstation first={props.first} />;
}

function Workstation(props: { first: FirstAnswer }): React.JSX.Element {
  const { first } = props;
  const [snapshot, setSnapshot] = useState<SessionSnapshotData | null>('snapshot' in first ? first.snapshot : null);
  const [failure, setFailure] = useState<HostRequestError | null>('failure' in first ? first.failure : null);
  const [reachability, setReachability] = useState<Reachability>('unknown');
  const activeId = useRef<string | null>('snapshot' in first ? (first.snapshot.active?.sessionId ?? null) : null);

  /** Takes a new snapshot; leaving the active session (lock, sign-out, switch) purges the window. */
  const applySnapshot = useCallback((next: SessionSnapshotData): void => {
    const held = activeId.current;
    if (held !== null && next.active?.sessionId !== held) {
      purgeAndReload();
      return;
    }
    activeId.current = next.active?.sessionId ?? null;
    holdSession(activeId.current);
    setSnapshot(next);
  }, []);

  const load = useCallback((): void => {
    setFailure(null);
    Promise.resolve()
      .then(() => call(hostApi().session.state()))
      .then((next) => {
        pruneViews(knownSessionIds(next));
        applySnapshot(next);
      })
      .catch((error: unknown) =>
        setFailure(error instanceof HostRequestError ? error : new HostRequestError('INTERNAL', 'Wardline could not reach its host.')),
      );
  }, [applySnapshot]);

  useEffect(() => {
    if ('snapshot' in first) pruneViews(knownSessionIds(first.snapshot));
  }, [first]);

  // The session whose first online sign-in here asks for the PIN offer (the frame opens it once).
  const [pinOfferFor, setPinOfferFor] = useState<string | null>(null);
  const signedIn = useCallback(
    (next: SessionSnapshotData, signIn?: { readonly offerPin: boolean }): void => {
      setPinOfferFor(signIn?.offerPin === true ? (next.active?.sessionId ?? null) : null);
      applySnapshot(next);
    },
    [applySnapshot],
  );

  const status = snapshot?.status;
  useEffect(() => {
    if (status !== undefined && status !== 'active') whenIdle(() => void frame.preload());
  }, [status]);

  if (failure !== null && (failure.code === SETUP_ERROR_CODES.notSetUp || failure.code === SETUP_ERROR_CODES.settingUp)) {
    return <SetupScreen fallbackMessage={failure.message} />;
  }
  if (failure !== null) {
    return (
      <main className="centre-page" aria-labelledby="failure-title">
        <h1 id="failure-title">Wardline cannot start</h1>
        <p role="alert">{failure.message}</p>
        <button type="button" className="button button--primary" onClick={load}>
          Try again
        </button>
      </main>
    );
  }
  if (snapshot === null) return <Splash />;
  if (snapshot.status === 'active' && snapshot.active !== null) {
    return (
      <Suspense fallback={<Splash />}>
        <Frame session={snapshot.active} onSnapshot={applySnapshot} offerPin={pinOfferFor === snapshot.active.sessionId} />
      </Suspense>
    );
  }
  if (snapshot.status === 'locked') {
    return (
      <LockScreen
        snapshot={snapshot}
        onSnapshot={applySnapshot}
        onSignedIn={signedIn}
        onReload={load}
        reachability={reachability}
        onReachability={setReachability}
      />
    );
  }
  return <SignInScreen lastEnded={snapshot.lastEnded} onSignedIn={signedIn} reachability={reachability} onReachability={setReachability} />;
}
