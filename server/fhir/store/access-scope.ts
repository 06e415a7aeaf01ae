// Which rows a request may see, as SQL. A device sees the patients with an in-progress Encounter
// at its ward's Location (and their resources), plus Location and Practitioner; a user the same
// without restricted patients. Break-the-glass adds one named patient. Every value is a bound
// parameter.
import { SqlParams, type SqlDatabase } from '../../storage/index.js';
import { SECURITY_TOKEN_PARAM } from './index-terms.js';
import { CONFIDENTIALITY_SYSTEM, REFERENCE_TYPES, RESTRICTED_CONFIDENTIALITY_CODES } from '../../../shared/access/index.js';

/**
 * `all`: the hub's own work. `ward`: the in-patients of `wardRef` (none when null: a user without
 * this ward), without restricted patients when `excludeRestricted` (a user's view), plus one patient
 * the caller broke the glass for.
 */
export type AccessScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'ward'; readonly wardRef: string | null; readonly extraPatientId?: string; readonly excludeRestricted?: boolean };

/** Resource types every enrolled device may read: reference data without patient content. */
export const SHARED_TYPES: readonly string[] = REFERENCE_TYPES;

/** Patient ids with an in-progress Encounter currently at `wardRef` (a SELECT of one column). */
export function wardPatientsSql(params: SqlParams, wardRef: string): string {
  return `SELECT e.patient_id FROM fhir_tokens wt JOIN fhir_resources e ON e.res_type = wt.res_type AND e.res_id = wt.res_id
    WHERE wt.param = 'location' AND wt.value = ${params.add(wardRef)} AND wt.res_type = 'Encounter'
      AND e.status = 'in-progress' AND e.deleted = 0 AND e.patient_id IS NOT NULL`;
}

/** Patient ids labelled restricted (v3-Confidentiality R or V), a SELECT of one column. */
export function restrictedPatientsSql(params: SqlParams): string {
  return `SELECT st.res_id FROM fhir_tokens st WHERE st.param = ${params.add(SECURITY_TOKEN_PARAM)} AND st.res_type = 'Patient'
    AND st.system = ${params.add(CONFIDENTIALITY_SYSTEM)} AND st.value IN (${params.list(RESTRICTED_CONFIDENTIALITY_CODES)})`;
}

/** A condition on `alias` (a row with res_type and patient_id) limiting it to the scope. */
export function scopeCondition(params: SqlParams, scope: AccessScope, alias: string): string {
  if (scope.kind === 'all') return '1 = 1';
  const parts = [`${alias}.res_type IN ('Location', 'Practitioner')`];
  if (scope.wardRef !== null) {
    const restricted = scope.excludeRestricted ? ` AND ${alias}.patient_id NOT IN (${restrictedPatientsSql(params)})` : '';
    parts.push(`(${alias}.patient_id IN (${wardPatientsSql(params, scope.wardRef)})${restricted})`);
  }
  if (scope.extraPatientId !== undefined) parts.push(`${alias}.patient_id = ${params.add(scope.extraPatientId)}`);
  return `(${parts.join(' OR ')})`;
}

/** True when the patient is labelled restricted (an indexed read of the restricted labels). */
export async function isPatientRestricted(db: SqlDatabase, patientId: string): Promise<boolean> {
  const params = new SqlParams();
  const rows = await db.query(
    `SELECT 1 AS hit FROM fhir_tokens st WHERE st.res_id = ${params.add(patientId)} AND st.param = ${params.add(SECURITY_TOKEN_PARAM)}
       AND st.res_type = 'Patient' AND st.system = ${params.add(CONFIDENTIALITY_SYSTEM)}
       AND st.value IN (${params.list(RESTRICTED_CONFIDENTIALITY_CODES)}) LIMIT 1`,
    params.values,
  );
  return rows.length > 0;
}

/** True when the patient has an in-progress Encounter at the ward now. */
export async function isPatientOnWard(db: SqlDatabase, patientId: string, wardRef: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 AS hit FROM fhir_tokens wt JOIN fhir_resources e ON e.res_type = wt.res_type AND e.res_id = wt.res_id
     WHERE wt.param = 'location' AND wt.value = $1 AND wt.res_type = 'Encounter'
       AND e.status = 'in-progress' AND e.deleted = 0 AND e.patient_id = $2 LIMIT 1`,
    [wardRef, patientId],
  );
  return rows.length > 0;
}

/**
 * When the hub last wrote a version of one of the patient's Encounters listing the ward (µs stamp),
 * if one was written since `sinceStamp`: for a patient who left, about when they left (the discharge
 * or transfer is such a version). Null when none.
 */
export async function wardStayEndStamp(db: SqlDatabase, patientId: string, wardRef: string, sinceStamp: number): Promise<number | null> {
  const rows = await db.query<{ at: unknown }>(
    `SELECT MAX(v.last_updated) AS at FROM fhir_version_wards w JOIN fhir_versions v ON v.seq = w.seq
     WHERE w.ward_ref = $1 AND v.res_type = 'Encounter' AND v.patient_id = $2 AND v.last_updated >= $3`,
    [wardRef, patientId, sinceStamp],
  );
  const at = rows[0]?.at;
  return at === null || at === undefined ? null : Number(at);
}
