// The prepared reads the chart queries share: a resource by id, a patient's resources of one
// type, in-progress encounters (partial index), a patient's administrations in a window.
import type { Json } from './chart-format.js';
import type { LocationReader } from './encounter-place.js';
import type { Db } from './sqlcipher-connection.js';

export interface ChartReads {
  resource(type: string, id: string): Json | null;
  /** The patient's resources of `type`, oldest first by effective time. */
  ofPatient(patientId: string, type: string): Json[];
  /** One page of the patient's resources of `type`, newest first by effective time (undated last). */
  newestOfPatient(patientId: string, type: string, offset: number, limit: number): Json[];
  /** How many resources of `type` the patient has. */
  countOfPatient(patientId: string, type: string): number;
  inProgressEncounters(): Json[];
  administrations(patientId: string, fromMs: number, toMs: number): Json[];
  /** A Location reader that caches what it read, for one query. */
  locationReader(): LocationReader;
}

const parse = (json: string): Json => JSON.parse(json) as Json;

export function createChartReads(db: Db): ChartReads {
  const byId = db.prepare<[string, string], string>('SELECT json FROM resources WHERE type = ? AND id = ?').pluck();
  const byPatient = db
    .prepare<[string, string], string>('SELECT json FROM resources WHERE patient_id = ? AND type = ? ORDER BY effective_ms')
    .pluck();
  const newestByPatient = db
    .prepare<[string, string, number, number], string>(
      'SELECT json FROM resources WHERE patient_id = ? AND type = ? ORDER BY effective_ms DESC LIMIT ? OFFSET ?',
    )
    .pluck();
  const countByPatient = db.prepare<[string, string], number>('SELECT count(*) FROM resources WHERE patient_id = ? AND type = ?').pluck();
  const inProgress = db.prepare<[], string>("SELECT json FROM resources WHERE type = 'Encounter' AND status = 'in-progress'").pluck();
  const administrations = db
    .prepare<[string, number, number], string>(
      `
    SELECT json FROM resources
    WHERE type = 'MedicationAdministration' AND patient_id = ? AND effective_ms >= ? AND effective_ms <= ?
    ORDER BY effective_ms`,
    )
    .pluck();

  const resource = (type: string, id: string): Json | null => {
    const json = byId.get(type, id);
    return json === undefined ? null : parse(json);
  };
  return {
    resource,
    ofPatient: (patientId, type) => byPatient.all(patientId, type).map(parse),
    newestOfPatient: (patientId, type, offset, limit) => newestByPatient.all(patientId, type, limit, offset).map(parse),
    countOfPatient: (patientId, type) => countByPatient.get(patientId, type) ?? 0,
    inProgressEncounters: () => inProgress.all().map(parse),
    administrations: (patientId, fromMs, toMs) => administrations.all(patientId, fromMs, toMs).map(parse),
    locationReader() {
      const cache = new Map<string, Json | null>();
      return (id) => {
        if (!cache.has(id)) cache.set(id, resource('Location', id));
        return cache.get(id) ?? null;
      };
    },
  };
}
