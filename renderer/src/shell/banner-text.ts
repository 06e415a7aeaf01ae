// The downtime banner's words, from the host's sync status and the time now: the connectivity
// state in plain language ("Sync stopped" and why, whatever the hub answers, while the host's
// watchdog finds sync stopped), "data as of" with its staleness (re-computed locally as time passes),
// the outbox and conflict counts, and the initial load's progress.
import { CYCLES_FAIL_STOP_REASONS, type SyncStatusData, type SyncStopReason } from '../../../shared/contract/index.js';
import { counted, formatRecentTime } from '../../../shared/display/index.js';
import { dataStaleness, type DataStaleness } from '../../../shared/staleness/index.js';
import { dataStalenessClass, dataStalenessLabel } from '../lib/staleness.js';
import { conflictWords, waitingWords } from '../lib/waiting-words.js';

/** The connectivity state, or "sync-stopped" while the host's watchdog finds sync stopped (whatever the hub answers). */
export type BannerState = SyncStatusData['state'] | 'not-enrolled' | 'sync-stopped';

/** Why sync stopped, in words, after "Sync stopped — ". */
const STOP_REASONS: Readonly<Record<SyncStopReason, string>> = {
  'no-cycle-succeeded': 'no sync has completed although the hub answers',
  'cycle-hung': 'a sync has been waiting on the hub for too long',
  'hub-answer-unreadable': 'the hub sent data this workstation cannot read (call IT if this goes on)',
  'not-cycling': 'no sync has started for too long',
  'data-folder-unavailable': "this workstation's data folder cannot be used (call IT)",
};

export interface BannerWording {
  readonly state: BannerState;
  /** One sentence: what is going on and what the screens show. */
  readonly headline: string;
  /** "10:42" (or "12 Mar 10:42"), or null when never synced. */
  readonly dataAsOf: string | null;
  readonly staleness: DataStaleness;
  /** Its class: "fresh" only while the hub confirms the data (online); never green in downtime. */
  readonly stalenessClass: string;
  /** "Up to date" (online only), "Recent, not confirmed by the hub", "Older than 15 min"…: always shown beside the colour. */
  readonly stalenessLabel: string;
  /** "3 entries waiting to upload", or null when the outbox is empty. */
  readonly outbox: string | null;
  /** "2 conflicts to resolve", or null. */
  readonly conflicts: string | null;
  /** The initial load while it runs. */
  readonly progress: { readonly loaded: number; readonly total: number; readonly label: string } | null;
  /** The last failure's code, for IT, when not online. */
  readonly errorCode: string | null;
}

function headlineOf(state: BannerState, asOf: string | null, stopped: SyncStatusData['stopped']): string {
  const showing = asOf === null ? 'No chart data has been synced yet.' : `Showing charts as of ${asOf}.`;
  switch (state) {
    case 'sync-stopped':
      return `Sync stopped — ${stopped ? STOP_REASONS[stopped.reason] : 'it is not running'}. ${
        stopped && CYCLES_FAIL_STOP_REASONS.has(stopped.reason) ? 'Wardline tries again later.' : 'Wardline is restarting it.'
      } ${showing}`;
    case 'online':
      return 'Online — connected to the hub.';
    case 'degraded':
      return `Connection problems — the hub is slow or some requests fail. ${showing}`;
    case 'offline':
      return `Downtime — hub unreachable. ${showing}`;
    case 'hub-down':
      return `Downtime — the hub is down. ${showing}`;
    case 'not-enrolled':
      return `Not connected to a hub — this workstation shows its own copy only. ${showing}`;
  }
}

export function bannerWording(status: SyncStatusData, nowMs: number): BannerWording {
  const state: BannerState = !status.enrolled ? 'not-enrolled' : status.stopped ? 'sync-stopped' : status.state;
  const dataAsOf = status.dataAsOf === null ? null : formatRecentTime(status.dataAsOf, new Date(nowMs));
  const thresholds = { amberMs: status.staleAmberMs, redMs: status.staleRedMs };
  const staleness = dataStaleness(status.dataAsOf, nowMs, thresholds);
  const confirmedByHub = state === 'online';
  const load = status.initialLoad;
  return {
    state,
    headline: headlineOf(state, dataAsOf, status.stopped),
    dataAsOf,
    staleness,
    stalenessClass: dataStalenessClass(staleness, confirmedByHub),
    stalenessLabel: dataStalenessLabel(staleness, thresholds, confirmedByHub),
    outbox: waitingWords(status.outboxPending),
    conflicts: conflictWords(status.conflicts),
    progress:
      load === null
        ? null
        : {
            loaded: load.loaded,
            total: load.total,
            label: `Loading the ward: ${load.loaded} of ${counted(load.total, 'patient', 'patients')}`,
          },
    errorCode: state === 'online' ? null : status.lastError,
  };
}
