// A chart store that lives in memory only: an in-memory SQLite database with the vault's schema,
// the same validated resource store and the same chart queries, for a chart that must not be
// written to disk (a patient off this ward, opened by break-the-glass). Closing it overwrites every
// row (secure_delete) before the database is freed.
import Database from 'better-sqlite3-multiple-ciphers';
import { createChartQueries, type ChartQueries } from './chart-queries.js';
import { guarded } from './lazy-methods.js';
import { migrate } from './migration-runner.js';
import { createResourceStore, type ResourceStore } from './resource-store.js';
import type { Db } from './sqlcipher-connection.js';
import { VaultError } from './vault-error.js';

export interface MemoryChartStore extends ChartQueries {
  /** Validated writes and reads, as in the vault (a batch with one invalid resource writes nothing). */
  readonly resources: Pick<ResourceStore, 'upsertMany' | 'read' | 'count' | 'ofPatientBetween' | 'versionOf'>;
  readonly isOpen: boolean;
  /** Overwrites every stored row, then frees the database. Every later call throws CLOSED. */
  close(): void;
}

/** Opens an empty in-memory chart store (no file, no temp file: temp_store=MEMORY). */
export function openMemoryChartStore(): MemoryChartStore {
  const db: Db = new Database(':memory:');
  try {
    db.pragma('temp_store=MEMORY');
    db.pragma('secure_delete=ON');
    db.pragma('foreign_keys=ON');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  let open = true;
  const assertOpen = (): void => {
    if (!open) {
      throw new VaultError(
        'CLOSED',
        'This emergency copy of a chart has been dropped (the access ended). Open the chart again with emergency access if it is still needed.',
      );
    }
  };
  const store = createResourceStore(db);
  // The copy is as fresh as its last write from the hub.
  let fetchedAt: string | null = null;
  const upsertMany: MemoryChartStore['resources']['upsertMany'] = (...args) => {
    const written = store.upsertMany(...args);
    fetchedAt = new Date().toISOString();
    return written;
  };
  const resources = guarded(
    {
      upsertMany,
      read: store.read,
      count: store.count,
      ofPatientBetween: store.ofPatientBetween,
      versionOf: store.versionOf,
    } as MemoryChartStore['resources'],
    assertOpen,
  );
  const queries = guarded(
    createChartQueries(
      db,
      () => null,
      () => fetchedAt,
    ),
    assertOpen,
  );
  return {
    resources,
    census: () => queries.census(),
    patientSummary: (patientId) => queries.patientSummary(patientId),
    observationTrend: (patientId, code, fromIso, toIso) => queries.observationTrend(patientId, code, fromIso, toIso),
    medicationAdministrationRecord: (patientId, fromIso, toIso) => queries.medicationAdministrationRecord(patientId, fromIso, toIso),
    notes: (patientId, page) => queries.notes(patientId, page),
    get isOpen() {
      return open;
    },
    close() {
      if (!open) return;
      open = false;
      try {
        // secure_delete=ON: the freed cells and pages are overwritten with zeros, not just unlinked.
        db.exec('DELETE FROM resources');
      } finally {
        db.close();
      }
    },
  };
}
