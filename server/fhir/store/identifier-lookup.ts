// The write path's identifier look-up: current, live resources of one type carrying one
// identifier system|value (or another index token, or of one patient in some statuses), straight from the token index (the generic search's correlated form and
// paging are for the wire protocol). Used by the feeds (ADT, the upstream mirror) once or twice per
// message, so it is one cached statement with the content as text (it is parsed, never streamed).
// The few rows that match are put in id order here: an ORDER BY on them makes SQLite build a
// temporary sort b-tree per query, which costs several times the look-up itself.
import { chunked, SqlParams, type SqlDatabase } from '../../storage/index.js';
import { fromRow, type ResourceRow, type StoredResource } from './stored-resource.js';

const BY_TOKEN = `SELECT r.res_type, r.res_id, r.version, r.last_updated, r.seq, r.deleted, r.patient_id, r.content
  FROM fhir_resources r
  WHERE r.res_type = $1 AND r.deleted = 0 AND r.res_id IN (
    SELECT t.res_id FROM fhir_tokens t WHERE t.param = $4 AND t.value = $2 AND t.res_type = $1 AND t.system = $3)`;

/**
 * The first `limit` (by id) live resources of `type` with the index token `param` `system|value`
 * (index-terms.ts: an identifier, an Encounter's current `location` with system '', …).
 */
export async function currentByToken(
  db: SqlDatabase,
  type: string,
  param: string,
  system: string,
  value: string,
  limit: number,
): Promise<StoredResource[]> {
  const rows = await db.query<ResourceRow>(BY_TOKEN, [type, value, system, param]);
  // Ids are FHIR ids (ASCII), so code-unit order is the database's binary order.
  rows.sort((a, b) => (a.res_id < b.res_id ? -1 : a.res_id > b.res_id ? 1 : 0));
  return rows.slice(0, limit).map(fromRow);
}

/** The first `limit` (by id) live resources of `type` with the identifier `system|value`. */
export function currentByIdentifier(
  db: SqlDatabase,
  type: string,
  system: string,
  value: string,
  limit: number,
): Promise<StoredResource[]> {
  return currentByToken(db, type, 'identifier', system, value, limit);
}

/** Live resources of `type` whose patient is `patientId` and whose status is one of `statuses`, by id. */
export async function currentOfPatient(
  db: SqlDatabase,
  type: string,
  patientId: string,
  statuses: readonly string[],
): Promise<StoredResource[]> {
  const params = new SqlParams();
  const rows = await db.query<ResourceRow>(
    `SELECT r.res_type, r.res_id, r.version, r.last_updated, r.seq, r.deleted, r.patient_id, r.content FROM fhir_resources r
     WHERE r.patient_id = ${params.add(patientId)} AND r.res_type = ${params.add(type)} AND r.deleted = 0
     AND r.status IN (${params.list(statuses)})`,
    params.values,
  );
  rows.sort((a, b) => (a.res_id < b.res_id ? -1 : a.res_id > b.res_id ? 1 : 0));
  return rows.map(fromRow);
}

/**
 * currentByIdentifier for many values of one type and system at once (a feed's group of messages
 * looks up its patients' and visits' identifiers together): every live resource carrying each value,
 * in id order; a value no resource carries maps to an empty list.
 */
export async function currentByIdentifiers(
  db: SqlDatabase,
  type: string,
  system: string,
  values: readonly string[],
): Promise<Map<string, StoredResource[]>> {
  const found = new Map<string, StoredResource[]>();
  const unique = [...new Set(values)];
  for (const value of unique) found.set(value, []);
  for (const chunk of chunked(unique, 200)) {
    const params = new SqlParams();
    const rows = await db.query<ResourceRow & { token_value: string }>(
      `SELECT t.value AS token_value, r.res_type, r.res_id, r.version, r.last_updated, r.seq, r.deleted, r.patient_id, r.content
       FROM fhir_tokens t JOIN fhir_resources r ON r.res_type = t.res_type AND r.res_id = t.res_id
       WHERE t.param = 'identifier' AND t.value IN (${params.list(chunk)}) AND t.res_type = ${params.add(type)}
       AND t.system = ${params.add(system)} AND r.deleted = 0`,
      params.values,
    );
    for (const row of rows) {
      const list = found.get(row.token_value);
      // A resource carrying the same identifier twice has two token rows: listed once.
      if (list !== undefined && !list.some((item) => item.id === row.res_id)) list.push(fromRow(row));
    }
  }
  for (const list of found.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return found;
}
