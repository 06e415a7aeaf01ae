// One version of a resource as the store holds it. `content` is the resource's JSON text exactly as
// served (meta.versionId and meta.lastUpdated included), null for a deletion. The text is stored
// once: a resource's current version in its fhir_resources row (its fhir_versions row holds NULL),
// an earlier version in its fhir_versions row (moved there when the next version is written), so
// a version's content is read through versionContentSql. Bulk reads on SQLite
// fetch it as its UTF-8 bytes (a Buffer), so a page of a thousand resources goes to the socket
// without being decoded into JS strings and encoded again.
import type { SqlDatabase } from '../../storage/index.js';

export interface StoredResource {
  readonly type: string;
  readonly id: string;
  readonly version: number;
  /** Stamp, in microseconds since the epoch (see hub-clock.ts). */
  readonly lastUpdated: number;
  readonly seq: number;
  readonly deleted: boolean;
  readonly patientId: string | null;
  readonly content: string | Buffer | null;
}

export interface ResourceRow {
  res_type: string;
  res_id: string;
  version: number;
  last_updated: number;
  seq: number;
  deleted: number;
  patient_id: string | null;
  content: string | Buffer | null;
}

export const RESOURCE_COLUMNS = 'res_type, res_id, version, last_updated, seq, deleted, patient_id, content';

export function fromRow(row: ResourceRow): StoredResource {
  return {
    type: row.res_type,
    id: row.res_id,
    version: Number(row.version),
    lastUpdated: Number(row.last_updated),
    seq: Number(row.seq),
    deleted: Number(row.deleted) === 1,
    patientId: row.patient_id,
    content: row.content,
  };
}

/** The content column of `alias` for a bulk read: raw bytes on SQLite, text on PostgreSQL. */
export function bulkContentColumn(db: SqlDatabase, alias: string): string {
  return db.dialect === 'sqlite' ? `CAST(${alias}.content AS BLOB) AS content` : `${alias}.content`;
}

/**
 * The content of the fhir_versions row `alias` (an expression): its own when it was superseded,
 * else its resource's current row's (null for a deletion).
 */
export function versionContentSql(alias: string): string {
  return `COALESCE(${alias}.content, (SELECT cur.content FROM fhir_resources cur
    WHERE cur.res_type = ${alias}.res_type AND cur.res_id = ${alias}.res_id AND cur.version = ${alias}.version))`;
}

/** A version's content column (versionContentSql) for a bulk read: raw bytes on SQLite, text on PostgreSQL. */
export function bulkVersionContentColumn(db: SqlDatabase, alias: string): string {
  return db.dialect === 'sqlite' ? `CAST(${versionContentSql(alias)} AS BLOB) AS content` : `${versionContentSql(alias)} AS content`;
}

/** The content as text (for parsing). */
export function contentText(stored: StoredResource): string | null {
  if (stored.content === null) return null;
  return typeof stored.content === 'string' ? stored.content : stored.content.toString('utf8');
}
