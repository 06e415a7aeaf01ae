// Resources a ward follows: their versions are in the ward's history (history-query.ts) even when
// their patient is no longer on the ward, so the ward's workstations learn of them (a conflict with
// the EHR of documentation made there, and its settlement) after the patient left. Which wards held a
// stay is read from the ward rows of its Encounter's versions (fhir_version_wards).
import { SqlParams, type SqlDatabase } from '../../storage/index.js';

/** The ward Locations (`Location/ward-…`) a stay's Encounter was ever at; with no Encounter, the patient's. */
export async function wardsThatHeld(db: SqlDatabase, encounterId: string | null, patientId: string | null): Promise<string[]> {
  if (encounterId !== null) {
    const rows = await db.query<{ ward_ref: string }>(
      `SELECT DISTINCT w.ward_ref FROM fhir_versions v JOIN fhir_version_wards w ON w.seq = v.seq
       WHERE v.res_type = 'Encounter' AND v.res_id = $1`,
      [encounterId],
    );
    if (rows.length > 0 || patientId === null) return rows.map((row) => row.ward_ref);
  }
  if (patientId === null) return [];
  const rows = await db.query<{ ward_ref: string }>(
    `SELECT DISTINCT w.ward_ref FROM fhir_resources r
       JOIN fhir_versions v ON v.res_type = r.res_type AND v.res_id = r.res_id JOIN fhir_version_wards w ON w.seq = v.seq
     WHERE r.patient_id = $1 AND r.res_type = 'Encounter'`,
    [patientId],
  );
  return rows.map((row) => row.ward_ref);
}

/** Makes these wards follow a resource (idempotent). */
export async function followOnWards(db: SqlDatabase, type: string, id: string, wardRefs: readonly string[]): Promise<void> {
  if (wardRefs.length === 0) return;
  const params = new SqlParams();
  const values = wardRefs.map((ref) => `(${params.add(ref)}, ${params.add(type)}, ${params.add(id)})`).join(', ');
  await db.execute(
    `INSERT INTO fhir_ward_followed (ward_ref, res_type, res_id) VALUES ${values} ON CONFLICT (ward_ref, res_type, res_id) DO NOTHING`,
    params.values,
  );
}
