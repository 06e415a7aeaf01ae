// The application shell: asks the host who is at the workstation (session:state) and shows the
// sign-in screen, the lock screen or the signed-in frame. Purge-on-lock lives here: a purge
// empties the tree at once and reloads the document (shell/purge.ts).
import { Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type { SessionSnapshotData } from '../../shared/contract/index.js';
import { call, hostApi, HostRequestError } from './host-api.js';
import { pruneViews } from './lib/view-state.js';
import { LockScreen } from './screens/lock/lock-screen.js';
import { SignInScreen } from './screens/sign-in/sign-in-screen.js';
import type { Reachability } from './screens/sign-in/sign-in-outcome.js';
import './shell/pressable-style.js';
import { onPurge, purgeAndReload, watchForPurge } from './shell/purge.js';
import { preloadable, whenIdle } from './shell/preloadable.js';
import { Splash } from './shell/splash.js';

// The signed-in frame (census, charts, dialogs) is a separate chunk: the lock and sign-in screens
// that follow a purge reload stay small and fast. It is fetched while the user types.
const frame = preloadable(() => import('./shell/frame.js').then((m) => m.Frame));
const Frame = frame.Component;

export function App(): React.JSX.Element | null {
  const [purged, setPurged] = useState(false);
  useEffect(() => onPurge(() => setPurged(true)), []);
  if (purged) return null;
  return <Workstation />;
}

function Workstation(): React.JSX.Element {
  const [snapshot, setSnapshot] = useState<SessionSnapshotData | null>(null);
  const [failure, setFailure] = useState<HostRequestError | null>(null);
  const [reachability, setReachability] = useState<Reachability>('unknown');
  const activeId = useRef<string | null>(null);

  /** Takes a new snapshot; leaving the active session (lock, sign-out, switch) purges the window. */
  const applySnapshot = useCallback((next: SessionSnapshotData): void => {
    const held = activeId.current;
    if (held !== null && next.active?.sessionId !== held) {
      purgeAndReload();
      return;
    }
    activeId.current = next.active?.sessionId ?? null;
    setSnapshot(next);
  }, []);

  const load = useCallback((): void => {
    setFailure(null);
    call(hostApi().session.state())
      .then((next) => {
        pruneViews([...(next.active === null ? [] : [next.active.sessionId]), ...next.locked.map((s) => s.sessionId)]);
        applySnapshot(next);
      })
      .catch((error: unknown) => setFailure(error instanceof HostRequestError ? error : new HostRequestError('INTERNAL', 'Wardline could not reach its host.')));
  }, [applySnapshot]);

  useEffect(() => {
    load();
    try {
      return watchForPurge(() => activeId.current !== null);
    } catch {
      return undefined; // no host: the failure screen says so
    }
  }, [load]);

  const status = snapshot?.status;
  useEffect(() => {
    if (status !== undefined && status !== 'active') whenIdle(() => void frame.preload());
  }, [status]);

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
        <Frame session={snapshot.active} onSnapshot={applySnapshot} />
      </Suspense>
    );
  }
  if (snapshot.status === 'locked') {
    return <LockScreen snapshot={snapshot} onSnapshot={applySnapshot} onReload={load} reachability={reachability} onReachability={setReachability} />;
  }
  return <SignInScreen lastEnded={snapshot.lastEnded} onSignedIn={applySnapshot} reachability={reachability} onReachability={setReachability} />;
}
