// How old a piece of data is, in words: the ward data (against the thresholds in force, which the
// host sends with its sync status) and a patient's last vital signs. The levels and the rule are
// shared/staleness; every level comes with a text label: colour is never the only signal.
import { VITALS_STALENESS, type DataStaleness, type StalenessThresholds, type VitalsStaleness } from '../../../shared/staleness/index.js';

const HOUR = 3_600_000;

/** "over 8 h" style words for a threshold in ms (whole hours when it is, minutes otherwise). */
export function durationWords(ms: number): string {
  if (ms >= HOUR && ms % HOUR === 0) return `${ms / HOUR} h`;
  const minutes = Math.round(ms / 60_000);
  return minutes >= 60 ? `${Math.round(ms / (HOUR / 10)) / 10} h` : `${minutes} min`;
}

/**
 * The words shown next to the ward data's time. Only a hub that answers sync cycles confirms data
 * is up to date: fresh data while it does not (downtime, a slow hub, sync stopped) is "recent".
 */
export function dataStalenessLabel(level: DataStaleness, thresholds: StalenessThresholds, confirmedByHub: boolean): string {
  switch (level) {
    case 'fresh':
      return confirmedByHub ? 'Up to date' : 'Recent, not confirmed by the hub';
    case 'amber':
      return `Older than ${durationWords(thresholds.amberMs)}`;
    case 'red':
      return `Older than ${durationWords(thresholds.redMs)}: may be out of date`;
    case 'never-synced':
      return 'Never synced';
  }
}

/** The staleness class of "data as of": fresh data the hub has not confirmed gets no green dot. */
export function dataStalenessClass(level: DataStaleness, confirmedByHub: boolean): string {
  return level === 'fresh' && !confirmedByHub ? 'staleness staleness--unconfirmed' : `staleness staleness--${level}`;
}

/** The words shown next to a patient's last vital signs. */
export function vitalsStalenessLabel(level: VitalsStaleness): string {
  switch (level) {
    case 'recent':
      return 'Recent';
    case 'amber':
      return `Over ${durationWords(VITALS_STALENESS.amberMs)} ago`;
    case 'red':
      return `Over ${durationWords(VITALS_STALENESS.redMs)} ago`;
    case 'none':
      return 'None recorded';
  }
}
