// The downtime banner on every signed-in screen: online / degraded / offline / hub down in plain
// words (or "Sync stopped" and why), "data as of" re-coloured by a local timer against the
// policy's thresholds (always with a text label), what waits in the outbox, and the initial load's
// progress. State changes are announced politely.
import { ProgressBar } from 'react-aria-components';
import type { SyncStatusData } from '../../../shared/contract/index.js';
import { bannerWording, type BannerState } from './banner-text.js';
import { useNow } from './use-now.js';

const BADGES: Readonly<Record<BannerState, string>> = {
  online: 'Online',
  degraded: 'Connection problems',
  offline: 'Downtime',
  'hub-down': 'Downtime',
  'not-enrolled': 'Local only',
  'sync-stopped': 'Sync stopped',
};

export function DowntimeBanner(props: { status: SyncStatusData | null; onOpenConflicts?: () => void }): React.JSX.Element {
  const now = useNow(10_000);
  if (props.status === null) {
    return (
      <section className="banner banner--unknown" aria-label="Connection status">
        <p role="status" className="banner__headline">
          Checking the connection to the hub…
        </p>
      </section>
    );
  }
  const w = bannerWording(props.status, now);
  return (
    <section className={`banner banner--${w.state}`} aria-label="Connection status">
      <div role="status" className="banner__status">
        <p className="banner__headline">
          <span className="banner__badge">{BADGES[w.state]}</span> {w.headline}
        </p>
        <p className={w.stalenessClass}>
          <span className="staleness__dot" aria-hidden="true" />
          {w.dataAsOf === null ? 'No data synced yet' : `Data as of ${w.dataAsOf}`} — <strong>{w.stalenessLabel}</strong>
        </p>
        {w.outbox === null ? null : <p className="banner__outbox">{w.outbox}</p>}
        {w.conflicts === null ? null : props.onOpenConflicts === undefined ? (
          <p className="banner__conflicts">{w.conflicts}</p>
        ) : (
          <button type="button" className="button button--small banner__conflicts" onClick={props.onOpenConflicts}>
            {w.conflicts}
          </button>
        )}
      </div>
      {w.errorCode === null ? null : <p className="banner__code">Code for IT: {w.errorCode}</p>}
      {w.progress === null ? null : (
        <ProgressBar
          className="progress"
          value={w.progress.loaded}
          maxValue={Math.max(1, w.progress.total)}
          aria-label="Initial load of the ward"
          valueLabel={w.progress.label}
        >
          {({ percentage }) => (
            <>
              <span className="progress__label">{w.progress?.label}</span>
              <span className="progress__track">
                <span className="progress__fill" style={{ width: `${percentage ?? 0}%` }} />
              </span>
            </>
          )}
        </ProgressBar>
      )}
    </section>
  );
}
