// The staleness rule and its thresholds. A threshold reached counts for the ward data (data exactly
// 15 minutes old is amber); a patient's vital signs turn amber only once over 8 hours old.
import { instantMs } from '../display/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface StalenessThresholds {
  /** Data at least this old is amber. */
  readonly amberMs: number;
  /** Data at least this old is red. */
  readonly redMs: number;
}

export const DATA_STALENESS_LEVELS = ['fresh', 'amber', 'red', 'never-synced'] as const;
export type DataStaleness = (typeof DATA_STALENESS_LEVELS)[number];

export const VITALS_STALENESS_LEVELS = ['recent', 'amber', 'red', 'none'] as const;
export type VitalsStaleness = (typeof VITALS_STALENESS_LEVELS)[number];

/** The ward data's thresholds when the machine policy sets none (its `staleness` section overrides them). */
export const DEFAULT_DATA_STALENESS: StalenessThresholds = Object.freeze({ amberMs: 15 * MINUTE, redMs: 60 * MINUTE });

/** A patient's last vital signs: amber when older than 8 h, red when older than 12 h. */
export const VITALS_STALENESS: StalenessThresholds = Object.freeze({ amberMs: 8 * HOUR, redMs: 12 * HOUR });

/** The level of data last synced at `dataAsOf` (ISO), now: never-synced without a readable time. */
export function dataStaleness(dataAsOf: string | null, nowMs: number, thresholds: StalenessThresholds): DataStaleness {
  const at = instantMs(dataAsOf);
  if (at === null) return 'never-synced';
  const age = nowMs - at;
  if (age >= thresholds.redMs) return 'red';
  if (age >= thresholds.amberMs) return 'amber';
  return 'fresh';
}

/** The level of a patient's last vital signs (ISO time, or null when none are recorded). */
export function vitalsStaleness(lastVitalsAt: string | null, nowMs: number): VitalsStaleness {
  const at = instantMs(lastVitalsAt);
  if (at === null) return 'none';
  const age = nowMs - at;
  if (age > VITALS_STALENESS.redMs) return 'red';
  if (age > VITALS_STALENESS.amberMs) return 'amber';
  return 'recent';
}
