// Sync status: connectivity, how old the cached data is and what waits in the outbox (counts and
// times only, no patient data), the "sync now" request, and the event when any of it changes; and
// how fresh one patient's cached data is (its data as of and staleness, nothing of the chart), which
// an open chart asks again whenever the ward's data as of changes, without re-reading the chart.
import { z } from 'zod';
import { DATA_STALENESS_LEVELS } from '../staleness/index.js';
import { channelTable, defineChannel, defineEvent } from './channel.js';
import { patientIdSchema } from './chart-channels.js';

const noRequest = z.strictObject({});

/** How old the cached data is, against the policy's amber and red thresholds. */
export const stalenessSchema = z.enum(DATA_STALENESS_LEVELS);
export const connectivityStateSchema = z.enum(['online', 'degraded', 'offline', 'hub-down']);

/**
 * Why sync has stopped: the watchdog finds that no cycle succeeded for too long although the hub
 * answers, a cycle has been running for too long, or no cycle has started for too long; or a cycle
 * failed on an answer of the hub this workstation cannot read (JSON of the wrong shape: hub and
 * workstation versions that do not match), or because the data folder's sync lock cannot be used (a
 * folder replaced, removed or made read-only under the running host): retrying at once would not
 * change either.
 */
export const SYNC_STOP_REASONS = [
  'no-cycle-succeeded',
  'cycle-hung',
  'not-cycling',
  'hub-answer-unreadable',
  'data-folder-unavailable',
] as const;
export type SyncStopReason = (typeof SYNC_STOP_REASONS)[number];
/**
 * The stops for which cycles still run and fail (shown at once, tried again on the backoff): the
 * watchdog does not restart the loop for them, and the banner says "tries again later".
 */
export const CYCLES_FAIL_STOP_REASONS: ReadonlySet<SyncStopReason> = new Set<SyncStopReason>([
  'hub-answer-unreadable',
  'data-folder-unavailable',
]);
export const syncStoppedSchema = z.object({ reason: z.enum(SYNC_STOP_REASONS), since: z.string() });
export type SyncStopped = z.infer<typeof syncStoppedSchema>;

export const syncStatusSchema = z.object({
  /** False on a workstation that is not enrolled with a hub (it only shows its cache). */
  enrolled: z.boolean(),
  state: connectivityStateSchema,
  /** Workstation time the last complete sync ended, or null. */
  lastSuccess: z.string().nullable(),
  /** Workstation time the cached ward data was last brought up to date. */
  dataAsOf: z.string().nullable(),
  staleness: stalenessSchema,
  outboxPending: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  /** The code of the last failure (HUB_UNREACHABLE, PIN_MISMATCH…), or null. */
  lastError: z.string().nullable(),
  /** The initial load while it runs: patients loaded of patients on the census; null otherwise. */
  initialLoad: z.object({ loaded: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).nullable(),
  /** The policy's thresholds, so the banner can colour "data as of" by itself as time passes. */
  staleAmberMs: z.number().int().positive(),
  staleRedMs: z.number().int().positive(),
  /** How often the workstation polls the hub (ms). */
  pollIntervalMs: z.number().int().positive(),
  /** Set while the sync watchdog finds sync stopped (it restarts the loop meantime); null or absent otherwise. */
  stopped: syncStoppedSchema.nullable().optional(),
});
export type SyncStatusData = z.infer<typeof syncStatusSchema>;

/**
 * How fresh one patient's cached data is: when this workstation last brought the chart up to date
 * (workstation time, the sync state's per-patient time; null while the chart is still loading) and
 * its staleness against the policy's thresholds. Times only: no chart data, so not an audited read.
 */
export const patientFreshnessSchema = z.strictObject({
  dataAsOf: z.string().nullable(),
  staleness: stalenessSchema,
});
export type PatientFreshnessData = z.infer<typeof patientFreshnessSchema>;

export const SYNC_CHANNELS = channelTable([
  defineChannel({
    name: 'sync:status',
    summary:
      'connectivity, how old the cached data is, and what waits in the outbox (counts and times only); public, as the sync:changed event is: the sign-in and lock screens show the connection as it is now',
    permission: 'public',
    request: noRequest,
    response: syncStatusSchema,
  }),
  defineChannel({
    name: 'sync:now',
    summary: 'run a sync cycle now (pull, then push the outbox) and answer the status after it',
    permission: 'session',
    request: noRequest,
    response: syncStatusSchema,
  }),
  defineChannel({
    name: 'sync:patient-freshness',
    summary:
      "one patient's data as of and staleness (null when the chart cache does not hold the patient); no chart data, so not an audited read, but guarded like the chart (role, ward scope, restriction, break-the-glass)",
    permission: 'chart:read',
    request: z.strictObject({ patientId: patientIdSchema }),
    response: patientFreshnessSchema.nullable(),
  }),
]);

export const SYNC_EVENTS = channelTable([
  defineEvent({
    name: 'sync:changed',
    summary: 'the connectivity state or the sync status changed (no patient data)',
    payload: syncStatusSchema,
  }),
]);
