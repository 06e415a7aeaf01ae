// The sync engine's bookkeeping in the vault: the enrollment record, each cached patient's load
// state, history walks in progress, their tombstones, a few status facts (last success, state),
// the purge of a patient's data, and which patients the vault caches.
import { createRestrictionCarrier } from './conflict-restriction.js';
import type { Db } from './sqlcipher-connection.js';

export interface EnrollmentRecord {
  /** `https://host:port` of the hub. */
  readonly hubUrl: string;
  /** base64(SHA-256(DER SubjectPublicKeyInfo)) of the hub's certificate. */
  readonly pin: string;
  readonly clientId: string;
  /** The hub's ward code (e.g. "demo"); its Location is `ward-{ward}`. */
  readonly ward: string;
  readonly tokenUrl: string;
  readonly enrolledAt: string;
}

export interface PatientSyncState {
  readonly patientId: string;
  readonly loadState: 'loading' | 'loaded';
  /** While loading: the next $everything page to fetch (null: start from the first page). */
  readonly nextUrl: string | null;
  /** Workstation time of the last sync that brought this patient up to date, or null. */
  readonly dataAsOf: string | null;
}

export interface SyncStateStore {
  enrollment(): EnrollmentRecord | null;
  setEnrollment(record: EnrollmentRecord): void;
  patients(): PatientSyncState[];
  patient(patientId: string): PatientSyncState | null;
  /** Marks a patient as being loaded, with the next page to fetch (null: from the start). */
  setPatientLoading(patientId: string, nextUrl: string | null): void;
  setPatientLoaded(patientId: string, dataAsOf: string | null): void;
  /** Sets data_as_of of every loaded patient in `patientIds`. */
  markPatientsCurrent(patientIds: readonly string[], dataAsOf: string): void;
  /** The next link of the history walk in progress for `resourceType`, or null. */
  walk(resourceType: string): string | null;
  setWalk(resourceType: string, nextUrl: string): void;
  /** Ends a walk: forgets its next link and its tombstones. */
  endWalk(resourceType: string): void;
  /** The version of a deletion applied during the walk in progress, or null. */
  tombstone(resourceType: string, id: string): number | null;
  addTombstone(resourceType: string, id: string, version: number): void;
  /** Every patient the vault caches (loaded, or being loaded). */
  trackedPatientIds(): Set<string>;
  /** How many resources of the patient the vault holds (what a purge would delete). */
  patientResourceCount(patientId: string): number;
  /** Deletes every resource of the patient and its sync state (secure_delete overwrites them). Returns resources deleted. */
  purgePatient(patientId: string): number;
  /** A status fact kept for `wardline status` (e.g. 'state', 'last_success'). */
  fact(key: string): string | null;
  setFact(key: string, value: string | null): void;
}

export const SYNC_STATE_METHODS = [
  'enrollment',
  'setEnrollment',
  'patients',
  'patient',
  'setPatientLoading',
  'setPatientLoaded',
  'markPatientsCurrent',
  'walk',
  'setWalk',
  'endWalk',
  'tombstone',
  'addTombstone',
  'trackedPatientIds',
  'patientResourceCount',
  'purgePatient',
  'fact',
  'setFact',
] as const satisfies readonly (keyof SyncStateStore)[];

interface PatientRow {
  patient_id: string;
  load_state: 'loading' | 'loaded';
  next_url: string | null;
  data_as_of: string | null;
}

function patientOf(row: PatientRow): PatientSyncState {
  return { patientId: row.patient_id, loadState: row.load_state, nextUrl: row.next_url, dataAsOf: row.data_as_of };
}

const FACT_PREFIX = 'sync.';

export function createSyncStateStore(db: Db): SyncStateStore {
  const readEnrollment = db.prepare<
    [],
    { hub_url: string; pin: string; client_id: string; ward: string; token_url: string; enrolled_at: string }
  >('SELECT hub_url, pin, client_id, ward, token_url, enrolled_at FROM sync_enrollment WHERE id = 1');
  const writeEnrollment = db.prepare<[string, string, string, string, string, string]>(
    `INSERT INTO sync_enrollment (id, hub_url, pin, client_id, ward, token_url, enrolled_at) VALUES (1, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET hub_url = excluded.hub_url, pin = excluded.pin, client_id = excluded.client_id,
       ward = excluded.ward, token_url = excluded.token_url, enrolled_at = excluded.enrolled_at`,
  );
  const allPatients = db.prepare<[], PatientRow>('SELECT * FROM sync_patients ORDER BY patient_id');
  const onePatient = db.prepare<[string], PatientRow>('SELECT * FROM sync_patients WHERE patient_id = ?');
  const loading = db.prepare<[string, string | null]>(
    `INSERT INTO sync_patients (patient_id, load_state, next_url) VALUES (?, 'loading', ?)
     ON CONFLICT (patient_id) DO UPDATE SET load_state = 'loading', next_url = excluded.next_url`,
  );
  const loaded = db.prepare<[string, string | null]>(
    `INSERT INTO sync_patients (patient_id, load_state, next_url, data_as_of) VALUES (?, 'loaded', NULL, ?)
     ON CONFLICT (patient_id) DO UPDATE SET load_state = 'loaded', next_url = NULL, data_as_of = excluded.data_as_of`,
  );
  const current = db.prepare<[string, string]>(`UPDATE sync_patients SET data_as_of = ? WHERE patient_id = ? AND load_state = 'loaded'`);
  const readWalk = db.prepare<[string], string>('SELECT next_url FROM sync_walks WHERE resource_type = ?').pluck();
  const writeWalk = db.prepare<[string, string]>(
    'INSERT INTO sync_walks (resource_type, next_url) VALUES (?, ?) ON CONFLICT (resource_type) DO UPDATE SET next_url = excluded.next_url',
  );
  const deleteWalk = db.prepare<[string]>('DELETE FROM sync_walks WHERE resource_type = ?');
  const deleteTombstones = db.prepare<[string]>('DELETE FROM sync_tombstones WHERE resource_type = ?');
  const readTombstone = db
    .prepare<[string, string], number>('SELECT version FROM sync_tombstones WHERE resource_type = ? AND resource_id = ?')
    .pluck();
  const writeTombstone = db.prepare<[string, string, number]>(
    `INSERT INTO sync_tombstones (resource_type, resource_id, version) VALUES (?, ?, ?)
     ON CONFLICT (resource_type, resource_id) DO UPDATE SET version = max(version, excluded.version)`,
  );
  const trackedPatients = db.prepare<[], string>('SELECT patient_id FROM sync_patients').pluck();
  const countResources = db.prepare<[string], number>('SELECT count(*) FROM resources WHERE patient_id = ?').pluck();
  const deleteResources = db.prepare<[string]>('DELETE FROM resources WHERE patient_id = ?');
  const deletePatient = db.prepare<[string]>('DELETE FROM sync_patients WHERE patient_id = ?');
  const readFact = db.prepare<[string], string>('SELECT value FROM vault_meta WHERE key = ?').pluck();
  const writeFact = db.prepare<[string, string]>(
    'INSERT INTO vault_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const deleteFact = db.prepare<[string]>('DELETE FROM vault_meta WHERE key = ?');
  const carryRestriction = createRestrictionCarrier(db);
  const purge = db.transaction((patientId: string) => {
    // The chart's restriction as it is now goes with its open conflicts (a label added after one was stored).
    carryRestriction(patientId);
    const deleted = deleteResources.run(patientId).changes;
    deletePatient.run(patientId);
    return deleted;
  });
  const markCurrent = db.transaction((patientIds: readonly string[], dataAsOf: string) => {
    for (const patientId of patientIds) current.run(dataAsOf, patientId);
  });

  return {
    enrollment() {
      const row = readEnrollment.get();
      return row === undefined
        ? null
        : {
            hubUrl: row.hub_url,
            pin: row.pin,
            clientId: row.client_id,
            ward: row.ward,
            tokenUrl: row.token_url,
            enrolledAt: row.enrolled_at,
          };
    },
    setEnrollment(record) {
      writeEnrollment.run(record.hubUrl, record.pin, record.clientId, record.ward, record.tokenUrl, record.enrolledAt);
    },
    patients: () => allPatients.all().map(patientOf),
    patient(patientId) {
      const row = onePatient.get(patientId);
      return row === undefined ? null : patientOf(row);
    },
    setPatientLoading(patientId, nextUrl) {
      loading.run(patientId, nextUrl);
    },
    setPatientLoaded(patientId, dataAsOf) {
      loaded.run(patientId, dataAsOf);
    },
    markPatientsCurrent(patientIds, dataAsOf) {
      markCurrent(patientIds, dataAsOf);
    },
    walk: (resourceType) => readWalk.get(resourceType) ?? null,
    setWalk(resourceType, nextUrl) {
      writeWalk.run(resourceType, nextUrl);
    },
    endWalk(resourceType) {
      deleteWalk.run(resourceType);
      deleteTombstones.run(resourceType);
    },
    tombstone: (resourceType, id) => readTombstone.get(resourceType, id) ?? null,
    addTombstone(resourceType, id, version) {
      writeTombstone.run(resourceType, id, version);
    },
    trackedPatientIds: () => new Set(trackedPatients.all()),
    patientResourceCount: (patientId) => countResources.get(patientId) ?? 0,
    purgePatient: (patientId) => purge(patientId),
    fact: (key) => readFact.get(`${FACT_PREFIX}${key}`) ?? null,
    setFact(key, value) {
      if (value === null) deleteFact.run(`${FACT_PREFIX}${key}`);
      else writeFact.run(`${FACT_PREFIX}${key}`, value);
    },
  };
}
