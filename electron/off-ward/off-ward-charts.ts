// The charts of patients off this ward that break-the-glass fetched from the hub: one in-memory
// chart store per grant (session × patient), never written to disk. A copy is dropped (its rows
// overwritten, its memory freed) when its grant stops (expiry, a new grant, sign-out), and when its
// session locks or is switched away from; its grant then ends too, audited as a stop.
import {
  isRestricted,
  type BreakTheGlassStopNotice,
  type GuardedPatient,
  type PurgeNotice,
  type SessionSnapshot,
} from '../session/index.js';
import type { ChartQueries, MemoryChartStore } from '../vault/index.js';

/** The host's patient lookup (its PatientLookup): a patient's guard facts, or null when unknown. */
type PatientLookup = (patientId: string) => GuardedPatient | null;

/** What the off-ward charts need of the sessions (SessionManager fits). */
export interface OffWardSessions {
  current(): SessionSnapshot;
  onRendererPurge(listener: (notice: PurgeNotice) => void): () => void;
  onBreakTheGlassStop(listener: (notice: BreakTheGlassStopNotice) => void): () => void;
  endBreakTheGlassOfSession(sessionId: string, patientId: string): void;
}

interface HeldCopy {
  readonly sessionId: string;
  readonly patientId: string;
  readonly store: MemoryChartStore;
}

const keyOf = (sessionId: string, patientId: string): string => JSON.stringify([sessionId, patientId]);

export class OffWardCharts {
  readonly #sessions: OffWardSessions;
  readonly #copies = new Map<string, HeldCopy>();
  /** Ids (never data) of the patients opened off-ward here: still off the ward once their copy is gone. */
  readonly #openedIds = new Set<string>();
  readonly #unsubscribe: Array<() => void>;

  constructor(sessions: OffWardSessions) {
    this.#sessions = sessions;
    this.#unsubscribe = [
      sessions.onBreakTheGlassStop(({ sessionId, patientId }) => this.#drop(sessionId, patientId)),
      sessions.onRendererPurge(({ sessionId }) => this.#endSession(sessionId)),
    ];
  }

  /** Keeps `store` as the chart of `patientId` for `sessionId`'s grant (a copy held before is dropped). */
  hold(sessionId: string, patientId: string, store: MemoryChartStore): void {
    this.#drop(sessionId, patientId);
    this.#copies.set(keyOf(sessionId, patientId), { sessionId, patientId, store });
    this.#openedIds.add(patientId);
  }

  /** The active session's copy of the patient's chart, or null. */
  chartFor(patientId: string): MemoryChartStore | null {
    const active = this.#sessions.current().active;
    if (active === null) return null;
    return this.#copies.get(keyOf(active.sessionId, patientId))?.store ?? null;
  }

  /** Whether any session holds a copy of the patient's chart. */
  holds(patientId: string): boolean {
    return [...this.#copies.values()].some((copy) => copy.patientId === patientId);
  }

  /** How many copies are held. */
  get size(): number {
    return this.#copies.size;
  }

  /**
   * The guard's view of a patient: the chart cache's, else an off-ward patient (held, or opened
   * here before and dropped since), who needs a live break-the-glass grant.
   */
  patientLookup(cached: PatientLookup): PatientLookup {
    return (patientId) => {
      const inCache = cached(patientId);
      if (inCache !== null) return inCache;
      const patient = this.chartFor(patientId)?.resources.read('Patient', patientId) ?? null;
      if (patient !== null) return { id: patientId, onWard: false, restricted: isRestricted(patient) };
      return this.#openedIds.has(patientId) ? { id: patientId, onWard: false, restricted: false } : null;
    };
  }

  /** The chart queries over the active session's off-ward copy of a patient when it holds one, else `cache`'s. */
  chartQueries(cache: ChartQueries): ChartQueries {
    const source = (patientId: string): ChartQueries => this.chartFor(patientId) ?? cache;
    return {
      census: () => cache.census(),
      patientSummary: (patientId) => source(patientId).patientSummary(patientId),
      observationTrend: (patientId, code, fromIso, toIso) => source(patientId).observationTrend(patientId, code, fromIso, toIso),
      medicationAdministrationRecord: (patientId, fromIso, toIso) =>
        source(patientId).medicationAdministrationRecord(patientId, fromIso, toIso),
      notes: (patientId, page) => source(patientId).notes(patientId, page),
    };
  }

  /** Stops listening and drops every copy (the host is closing). */
  close(): void {
    for (const stop of this.#unsubscribe.splice(0)) stop();
    for (const copy of [...this.#copies.values()]) this.#drop(copy.sessionId, copy.patientId);
  }

  /** A session stopped serving (lock, switch, sign-out): its grants for off-ward charts end, their copies go. */
  #endSession(sessionId: string): void {
    for (const copy of [...this.#copies.values()]) {
      if (copy.sessionId !== sessionId) continue;
      this.#sessions.endBreakTheGlassOfSession(sessionId, copy.patientId);
      this.#drop(sessionId, copy.patientId);
    }
  }

  #drop(sessionId: string, patientId: string): void {
    const key = keyOf(sessionId, patientId);
    const copy = this.#copies.get(key);
    if (copy === undefined) return;
    this.#copies.delete(key);
    copy.store.close();
  }
}
