// The sync settings IT may set by machine policy, with their defaults: sync interval, staleness (amber,
// red), timeouts, retries and backoff, page size, extra certificate pins, the cache window's reach,
// when the watchdog calls sync stopped; and the initial load's page reader (when, its heap, how long
// it may take to answer).
import { DEFAULT_DATA_STALENESS } from '../../shared/staleness/index.js';
import { DEFAULT_CACHE_DAYS_BEFORE_ADMISSION } from '../../shared/fhir/index.js';
import type { PageReaderLimits } from './page-reader.js';

export interface SyncPolicy {
  /** Time between syncs while online. */
  readonly intervalMs: number;
  /** Cached data older than this shows amber. */
  readonly staleAmberMs: number;
  /** Cached data older than this shows red. */
  readonly staleRedMs: number;
  /** A first byte later than this makes the connection "degraded". */
  readonly slowResponseMs: number;
  readonly connectTimeoutMs: number;
  /** A request that receives nothing for this long is abandoned (and retried). */
  readonly idleTimeoutMs: number;
  /** The longest a single request may take, a large page included. */
  readonly requestTimeoutMs: number;
  /** Retries of one request after the first attempt (network errors, 5xx, 429). */
  readonly retries: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** The longest a Retry-After from the hub is honoured before giving up the cycle. */
  readonly maxRetryAfterMs: number;
  /** Longest wait between syncs while the hub is unreachable (exponential backoff up to this). */
  readonly offlineBackoffMaxMs: number;
  /** `_count` of history and $everything pages (the hub serves at most 1000). */
  readonly pageSize: number;
  /**
   * Pages of initial loads (several patients') are written together in one vault transaction until
   * they hold this many resources; always whole pages, each with its walk's position. (History
   * walks write one page per transaction.)
   */
  readonly maxResourcesPerTransaction: number;
  /**
   * Patients whose initial load runs at the same time. Five keeps pages coming while the writing
   * thread, the page reader and the hub share two cores (with three, the writing thread waited for
   * pages a third of the load); more holds more pages in memory (docs/ARCHITECTURE.md, Session 12).
   */
  readonly loadConcurrency: number;
  /**
   * A cycle that loads at least this many patients (a ward's initial load, or what is left of it)
   * reads their pages on a thread of its own (page-reader.ts); fewer (an admission or two) are read
   * on the writing thread, where they cost less than starting the reader. Infinity: never.
   */
  readonly pageReaderMinPatients: number;
  /** The page reader thread's old generation, MB (its young one is small and fixed): past it, the thread fails, and the load reads its pages on the writing thread (page-reader-fallback.ts). */
  readonly pageReaderHeapMb: number;
  /**
   * How long the page reader may hold pages without answering before it is taken for hung (a thread
   * that started but whose handler never runs, or one stuck in a loop): it is terminated and the load
   * reads its pages on the writing thread, as for any failed reader (page-reader-fallback.ts). The
   * clock runs only while it holds pages and starts again at each answer, so it bounds one page's
   * reading (the others wait behind it). The first answer includes the thread's start (loading its
   * module and the validators), hence its own, longer, deadline. Both are far past what a healthy
   * reader takes on a loaded two-core machine, since a false trip only costs speed (the rest of the
   * loads until a restart on one thread), while a hung reader costs one wait of this length per
   * workstation start. The reasoning, with the figures: `pageReaderLimits` below. Never longer than a
   * quarter of `stoppedAfterMs` (pageReaderLimits), so the load falls back before the watchdog would
   * call sync stopped.
   */
  readonly pageReaderFirstAnswerMs: number;
  /** The page reader's later answers, each from the one before (see pageReaderFirstAnswerMs). */
  readonly pageReaderAnswerMs: number;
  /** Outbox entries per transaction Bundle. */
  readonly pushBatchSize: number;
  /**
   * The sync watchdog: sync counts as stopped (shown to the user, logged, the loop restarted) when
   * for this long a running cycle hears nothing from the hub, no cycle succeeds while the hub
   * answers, or no cycle starts (plus the longest backoff while offline).
   */
  readonly stoppedAfterMs: number;
  /** How long the sync lock file stays valid without being renewed. */
  readonly lockLeaseMs: number;
  /** Pins accepted besides the enrollment's (e.g. the hub's next certificate during a rotation). */
  readonly extraPins: readonly string[];
  /** A CA to verify the hub's chain against, in addition to the pin. */
  readonly caPem: string | undefined;
  /**
   * Data minimisation: a patient's care is cached from this many days before the admission (the
   * in-progress Encounter's period.start) on; allergies, flags, active problems and standing orders
   * whatever their date.
   */
  readonly daysBeforeAdmission: number;
}

export const DEFAULT_SYNC_POLICY: SyncPolicy = Object.freeze({
  intervalMs: 15_000,
  staleAmberMs: DEFAULT_DATA_STALENESS.amberMs,
  staleRedMs: DEFAULT_DATA_STALENESS.redMs,
  slowResponseMs: 3_000,
  connectTimeoutMs: 5_000,
  idleTimeoutMs: 15_000,
  requestTimeoutMs: 120_000,
  retries: 4,
  retryBaseMs: 250,
  retryMaxMs: 8_000,
  maxRetryAfterMs: 60_000,
  offlineBackoffMaxMs: 5 * 60_000,
  pageSize: 1000,
  maxResourcesPerTransaction: 5000,
  loadConcurrency: 5,
  pageReaderMinPatients: 4,
  pageReaderHeapMb: 96,
  pageReaderFirstAnswerMs: 60_000,
  pageReaderAnswerMs: 30_000,
  pushBatchSize: 20,
  stoppedAfterMs: 5 * 60_000,
  lockLeaseMs: 60_000,
  extraPins: [],
  caPem: undefined,
  daysBeforeAdmission: DEFAULT_CACHE_DAYS_BEFORE_ADMISSION,
});

/**
 * The page reader's heap and deadlines (page-reader.ts). The deadlines are a healthy reader's time
 * many times over, on the slowest machine it is expected on: CI's two cores at load 2–20, where a
 * busy thread gets about a tenth of a core (ten times its quiet time).
 * - A page: the reader spends about 50 µs of CPU per resource (Session 12's profile: 5 s for 101,318),
 *   so about 50 ms for a page of 1000, 0.5 s at load 20, 5 s for a page of resources ten times the
 *   usual size: 30 s is six times that.
 * - The first answer adds the thread's start: 0.4–0.7 s to the first answer on a quiet machine from
 *   source through tsx (the slowest way, tests; cold cache too), about 7 s at load 20: 60 s is eight
 *   times that.
 * The answers the reader gave while this thread was busy (a long write) are taken before the deadline
 * is checked (page-reader.ts), so a blocked writing thread does not trip it either. Capped at a
 * quarter of the watchdog's `stoppedAfterMs` (IT may set it as low as a minute): the wait for a hung
 * reader passes without an answer from the hub, and must end, and the load go on, well before the
 * watchdog takes that quiet for a hung cycle (it would restart the loop, which would start a reader
 * again, and hang again).
 */
export function pageReaderLimits(policy: SyncPolicy): PageReaderLimits {
  const cap = policy.stoppedAfterMs / 4;
  return {
    heapMb: policy.pageReaderHeapMb,
    firstAnswerMs: Math.min(policy.pageReaderFirstAnswerMs, cap),
    answerMs: Math.min(policy.pageReaderAnswerMs, cap),
  };
}

export function resolveSyncPolicy(overrides: Partial<SyncPolicy> = {}): SyncPolicy {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_SYNC_POLICY, ...defined };
}
