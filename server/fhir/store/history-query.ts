// History: versions (deletions included), newest first as FHIR R4 orders it, from `_since` on, up
// to the watermark fixed by the walk's first page (so later pages neither repeat nor skip), limited
// to the caller's scope. For a ward, an Encounter version that moved a patient onto or off the
// ward is included, so a workstation learns that the patient left, and every version of a resource
// the ward follows (ward-followed.ts: documentation held as a conflict with the EHR).
import { SqlParams, type SqlDatabase } from '../../storage/index.js';
import { restrictedPatientsSql, scopeCondition, type AccessScope } from './access-scope.js';
import { bulkVersionContentColumn, fromRow, type ResourceRow, type StoredResource } from './stored-resource.js';

export interface HistoryQuery {
  /** undefined: all types (system-level history). */
  readonly type?: string;
  /** Instance history. */
  readonly id?: string;
  /** Stamp (µs): versions at or after it. */
  readonly since?: number;
  /** Highest sequence included (the watermark of the first page). */
  readonly maxSeq: number;
  /** Sequence of the last version of the previous page (pages walk downwards). */
  readonly beforeSeq?: number;
  readonly count: number;
  readonly scope: AccessScope;
}

export async function historyVersions(db: SqlDatabase, query: HistoryQuery): Promise<{ rows: StoredResource[]; more: boolean }> {
  const params = new SqlParams();
  const where: string[] = [];
  if (query.type !== undefined) where.push(`v.res_type = ${params.add(query.type)}`);
  if (query.id !== undefined) where.push(`v.res_id = ${params.add(query.id)}`);
  if (query.since !== undefined) where.push(`v.last_updated >= ${params.add(query.since)}`);
  where.push(`v.seq <= ${params.add(query.maxSeq)}`);
  if (query.beforeSeq !== undefined) where.push(`v.seq < ${params.add(query.beforeSeq)}`);
  if (query.scope.kind === 'ward') {
    // Also the resources the ward follows after their patient left (ward-followed.ts).
    const encounterMoves =
      query.scope.wardRef === null
        ? ''
        : ` OR (v.res_type = 'Encounter' AND EXISTS (SELECT 1 FROM fhir_version_wards w
      WHERE w.ward_ref = ${params.add(query.scope.wardRef)} AND w.seq = v.seq))
      OR (EXISTS (SELECT 1 FROM fhir_ward_followed f
      WHERE f.ward_ref = ${params.add(query.scope.wardRef)} AND f.res_type = v.res_type AND f.res_id = v.res_id)${
        query.scope.excludeRestricted ? ` AND (v.patient_id IS NULL OR v.patient_id NOT IN (${restrictedPatientsSql(params)}))` : ''
      })`;
    where.push(`(${scopeCondition(params, query.scope, 'v')}${encounterMoves})`);
  }
  const sql = `SELECT v.res_type, v.res_id, v.version, v.last_updated, v.seq, v.deleted, v.patient_id, ${bulkVersionContentColumn(db, 'v')} FROM fhir_versions v
    WHERE ${where.join(' AND ')} ORDER BY v.last_updated DESC, v.seq DESC LIMIT ${params.add(query.count + 1)}`;
  const rows = (await db.query<ResourceRow>(sql, params.values)).map(fromRow);
  const more = rows.length > query.count;
  return { rows: more ? rows.slice(0, query.count) : rows, more };
}
