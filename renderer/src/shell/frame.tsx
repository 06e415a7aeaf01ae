// The signed-in frame: top bar, downtime banner, and the screen in view (census, chart,
// conflicts, audit, policy). Owns navigation, the keyboard shortcuts, activity reporting, the
// per-session view state (opaque ids in sessionStorage) and the lock and sign-out actions.
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SessionSnapshotData, SessionViewData } from '../../../shared/contract/index.js';
import { call, hostApi, HostRequestError } from '../host-api.js';
import { forgetView, readView, writeView } from '../lib/view-state.js';
import { onViewRequest } from '../lib/view-request.js';
import { CensusScreen } from '../screens/census/census-screen.js';
import { useCensus } from '../screens/census/use-census.js';
import { DowntimeBanner } from './downtime-banner.js';
import { AuditScreen, ChartScreen, ConflictsScreen, PolicyScreen, preloadScreens } from './lazy-screens.js';
import { neighbourPatient } from './patient-order.js';
import { whenIdle } from './preloadable.js';
import { coverWindow, purgeAndReload } from './purge.js';
import { may } from './role-abilities.js';
import { SetPinDialog } from './set-pin-dialog.js';
import { SignInOnlineDialog } from './sign-in-online-dialog.js';
import { ShortcutsDialog } from './shortcuts-dialog.js';
import { activityInterval } from './activity-throttle.js';
import { useActivityReporting } from './use-activity.js';
import { TopBar } from './top-bar.js';
import { useShortcuts } from './use-shortcuts.js';
import { useSyncStatus } from './use-sync-status.js';
import { HubConfirmsDataContext, StalenessThresholdsContext, WardDataAsOfContext } from '../lib/staleness-thresholds.js';
import { DEFAULT_DATA_STALENESS } from '../../../shared/staleness/index.js';
import { mayOpen, restoredView, type View } from './views.js';

export interface FrameProps {
  readonly session: SessionViewData;
  readonly onSnapshot: (snapshot: SessionSnapshotData) => void;
  /** Offer to set a PIN at once (the user's first online sign-in here, and they have none). */
  readonly offerPin?: boolean;
}

export function Frame(props: FrameProps): React.JSX.Element {
  const { session, onSnapshot } = props;
  const role = session.role;
  const [view, setView] = useState<View>(() => restoredView(role, readView(session.sessionId)));
  const status = useSyncStatus();
  const census = useCensus(may(role, 'census:read'), status === null ? undefined : status.dataAsOf);
  const amberMs = status?.staleAmberMs ?? DEFAULT_DATA_STALENESS.amberMs;
  const redMs = status?.staleRedMs ?? DEFAULT_DATA_STALENESS.redMs;
  const thresholds = useMemo(() => ({ amberMs, redMs }), [amberMs, redMs]);
  const [query, setQuery] = useState('');
  const [searchRequest, setSearchRequest] = useState(0);
  const [returnTo, setReturnTo] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [pinOpen, setPinOpen] = useState(false);
  const [signInOnlineOpen, setSignInOnlineOpen] = useState(false);
  // The hub answers (its sync cycles run): a session signed in offline can sign in online now.
  const hubAnswers = status !== null && status.enrolled && !status.stopped && (status.state === 'online' || status.state === 'degraded');
  // Offered once, after a first online sign-in here without a PIN; never in the way (not modal).
  const [pinOffer, setPinOffer] = useState(props.offerPin === true);
  const [notice, setNotice] = useState<string | null>(null);
  const main = useRef<HTMLElement>(null);

  useActivityReporting(activityInterval(session));

  useEffect(() => {
    whenIdle(() =>
      preloadScreens({
        chart: may(role, 'chart:read'),
        print: may(role, 'print'),
        breakGlass: may(role, 'btg:use'),
        audit: may(role, 'audit:view'),
        policy: may(role, 'policy:view'),
      }),
    );
  }, [role]);

  // Remember the view for this session (a chart's tab is saved by the chart screen itself).
  useEffect(() => {
    writeView(session.sessionId, view);
  }, [session.sessionId, view]);

  const order = useMemo(() => census.rows?.map((r) => r.patientId) ?? [], [census.rows]);

  const navigate = useCallback(
    (next: View): void => {
      if (!mayOpen(role, next)) return;
      setNotice(null);
      if (next.screen === 'census') setReturnTo(view.screen === 'chart' ? view.patientId : null);
      setView(next);
    },
    [role, view],
  );

  // A screen may ask for another view without knowing the shell (the chart's conflict badge).
  useEffect(() => onViewRequest((requested) => navigate({ screen: requested })), [navigate]);

  // Move the focus to the new screen (the census focuses its own search box or row).
  useEffect(() => {
    if (view.screen !== 'census' && view.screen !== 'chart') main.current?.focus();
  }, [view.screen]);

  const openChart = useCallback((patientId: string) => navigate({ screen: 'chart', patientId }), [navigate]);
  const step = useCallback(
    (direction: 1 | -1): boolean => {
      if (view.screen !== 'chart') return false;
      const next = neighbourPatient(order, view.patientId, direction);
      if (next !== null) openChart(next);
      else setNotice(direction === 1 ? 'This is the last patient on the census.' : 'This is the first patient on the census.');
      return true;
    },
    [view, order, openChart],
  );
  const toCensus = useCallback(() => navigate({ screen: 'census' }), [navigate]);

  const report = (error: unknown): void => {
    setNotice(error instanceof HostRequestError ? error.message : 'Wardline could not reach its host.');
  };
  const lock = useCallback((): void => {
    // The chart leaves the screen at the next frame, before the host is asked; whatever it
    // answers, the purge reload then shows what the host says (the lock screen).
    void coverWindow();
    void call(hostApi().session.lock())
      .catch(() => undefined)
      .then(() => purgeAndReload());
  }, []);
  const signOut = (): void => {
    forgetView(session.sessionId);
    call(hostApi().session.signOut()).then(onSnapshot, report);
  };

  useShortcuts({
    lock: () => lock(),
    search: () => {
      if (!may(role, 'census:read')) return false;
      navigate({ screen: 'census' });
      setSearchRequest((n) => n + 1);
      return true;
    },
    'next-patient': () => step(1),
    'previous-patient': () => step(-1),
    census: () => {
      if (view.screen === 'census' || !may(role, 'census:read')) return false;
      toCensus();
      return true;
    },
    conflicts: () => {
      if (!may(role, 'chart:read')) return false;
      navigate({ screen: 'conflicts' });
      return true;
    },
    help: () => setHelpOpen(true),
  });

  let screen: React.JSX.Element;
  switch (view.screen) {
    case 'census':
      screen = (
        <CensusScreen
          session={session}
          rows={census.rows}
          error={census.error}
          onRetry={census.reload}
          query={query}
          onQueryChange={setQuery}
          onOpen={openChart}
          searchRequest={searchRequest}
          returnTo={returnTo}
        />
      );
      break;
    case 'chart':
      screen = (
        <ChartScreen
          key={view.patientId}
          patientId={view.patientId}
          session={session}
          onBack={toCensus}
          onNextPatient={() => step(1)}
          onPreviousPatient={() => step(-1)}
        />
      );
      break;
    case 'conflicts':
      screen = <ConflictsScreen session={session} />;
      break;
    case 'audit':
      screen = <AuditScreen />;
      break;
    case 'policy':
      screen = <PolicyScreen />;
      break;
  }

  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        Skip to the screen
      </a>
      <TopBar
        session={session}
        view={view}
        conflicts={status?.conflicts ?? null}
        onNavigate={navigate}
        onLock={lock}
        onSignOut={signOut}
        onSetPin={() => setPinOpen(true)}
        onHelp={() => setHelpOpen(true)}
        onSignInOnline={hubAnswers ? () => setSignInOnlineOpen(true) : undefined}
      />
      <DowntimeBanner status={status} onOpenConflicts={may(role, 'chart:read') ? () => navigate({ screen: 'conflicts' }) : undefined} />
      <div className="notice" role="status">
        {notice}
      </div>
      {pinOffer ? (
        <section className="message" aria-label="PIN offer">
          <p>
            This is your first sign-in on this workstation. Set a PIN to come back to your session quickly after it locks (you can also do
            it later from your menu).
          </p>
          <div className="actions">
            <button
              type="button"
              className="button button--primary button--small"
              onClick={() => {
                setPinOffer(false);
                setPinOpen(true);
              }}
            >
              Set a PIN
            </button>
            <button type="button" className="button button--small" onClick={() => setPinOffer(false)}>
              Not now
            </button>
          </div>
        </section>
      ) : null}
      {/* Focusable (tab stop) because it scrolls: keyboard users must be able to scroll a long screen such as the policy. */}
      <main id="main" ref={main} tabIndex={0} className="frame__main">
        <StalenessThresholdsContext value={thresholds}>
          <HubConfirmsDataContext value={status?.state === 'online' && !status.stopped}>
            <WardDataAsOfContext value={status === null ? undefined : status.dataAsOf}>
              <Suspense
                fallback={
                  <p className="muted" role="status">
                    Opening…
                  </p>
                }
              >
                {screen}
              </Suspense>
            </WardDataAsOfContext>
          </HubConfirmsDataContext>
        </StalenessThresholdsContext>
      </main>
      <ShortcutsDialog isOpen={helpOpen} onOpenChange={setHelpOpen} />
      <SignInOnlineDialog
        username={session.username}
        isOpen={signInOnlineOpen}
        onOpenChange={setSignInOnlineOpen}
        onSignedIn={onSnapshot}
      />
      <SetPinDialog
        isOpen={pinOpen}
        onOpenChange={setPinOpen}
        onSaved={() => setNotice('Your PIN is saved. Use it to unlock your session on this workstation.')}
      />
    </div>
  );
}
