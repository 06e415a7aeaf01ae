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

/** The words shown next to the ward data's time. */
export function dataStalenessLabel(level: DataStaleness, thresholds: StalenessThresholds): string {
  switch (level) {
    case 'fresh':
      return 'Up to date';
    case 'amber':
      return `Older than ${durationWords(thresholds.amberMs)}`;
    case 'red':
      return `Older than ${durationWords(thresholds.redMs)}: may be out of date`;
    case 'never-synced':
      return 'Never synced';
  }
}

/** The colour of the ward data's age: its level, or neutral while nothing refreshes it. */
export type DataStalenessTone = DataStaleness | 'not-updating';

/**
 * How the ward data's age is shown. While nothing refreshes it (downtime, sync stopped), data that is
 * still fresh reads "Not updating" with a neutral mark, never a green "Up to date"; older data keeps
 * its level and words, which say more.
 */
export function dataStalenessShown(
  level: DataStaleness,
  thresholds: StalenessThresholds,
  updating: boolean,
): { readonly tone: DataStalenessTone; readonly label: string } {
  if (!updating && level === 'fresh') return { tone: 'not-updating', label: 'Not updating' };
  return { tone: level, label: dataStalenessLabel(level, thresholds) };
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
