// How old a piece of data is, as a level and words: the ward data (the policy's amber and red
// thresholds, re-checked by the banner's own timer) and a patient's last vital signs (> 8 h amber).
// Every level comes with a text label: colour is never the only signal.
import { instantMs } from '../../../shared/display/index.js';

export type DataStaleness = 'fresh' | 'amber' | 'red' | 'never-synced';
export type VitalsStaleness = 'recent' | 'amber' | 'red' | 'none';

const HOUR = 3_600_000;

/** Vital signs older than this are flagged amber; older than the red one, red. */
export const VITALS_AMBER_MS = 8 * HOUR;
export const VITALS_RED_MS = 12 * HOUR;

/** The ward data's staleness now: never-synced without a time, else by the policy's thresholds. */
export function dataStaleness(dataAsOf: string | null, nowMs: number, amberMs: number, redMs: number): DataStaleness {
  const at = instantMs(dataAsOf);
  if (at === null) return 'never-synced';
  // The same rule as the host's stalenessOf (electron/sync/connectivity.ts): a threshold reached counts.
  const age = nowMs - at;
  if (age >= redMs) return 'red';
  if (age >= amberMs) return 'amber';
  return 'fresh';
}

/** The level of a patient's last vital signs. */
export function vitalsStaleness(lastVitalsAt: string | null, nowMs: number): VitalsStaleness {
  const at = instantMs(lastVitalsAt);
  if (at === null) return 'none';
  const age = nowMs - at;
  if (age > VITALS_RED_MS) return 'red';
  if (age > VITALS_AMBER_MS) return 'amber';
  return 'recent';
}

/** "over 8 h" style words for a threshold in ms (whole hours when it is, minutes otherwise). */
export function durationWords(ms: number): string {
  if (ms >= HOUR && ms % HOUR === 0) return `${ms / HOUR} h`;
  const minutes = Math.round(ms / 60_000);
  return minutes >= 60 ? `${Math.round(ms / (HOUR / 10)) / 10} h` : `${minutes} min`;
}

/** The words shown next to the ward data's time. */
export function dataStalenessLabel(level: DataStaleness, amberMs: number, redMs: number): string {
  switch (level) {
    case 'fresh':
      return 'Up to date';
    case 'amber':
      return `Older than ${durationWords(amberMs)}`;
    case 'red':
      return `Older than ${durationWords(redMs)}: may be out of date`;
    case 'never-synced':
      return 'Never synced';
  }
}

/** The words shown next to a patient's last vital signs. */
export function vitalsStalenessLabel(level: VitalsStaleness): string {
  switch (level) {
    case 'recent':
      return 'Recent';
    case 'amber':
      return `Over ${durationWords(VITALS_AMBER_MS)} ago`;
    case 'red':
      return `Over ${durationWords(VITALS_RED_MS)} ago`;
    case 'none':
      return 'None recorded';
  }
}
