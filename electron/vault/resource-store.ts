// The FHIR resource store inside the vault: validated upserts (single and batch, one transaction
// per batch), reads, deletes and counts. Every resource passes shared/fhir's validateResource
// before anything is written; a batch with one bad resource writes nothing.
import { isUtf8 } from 'node:buffer';
import type { Resource, SupportedResourceType } from '../../shared/fhir/index.js';
import { createRestrictionCarrier } from './conflict-restriction.js';
import type { ResourceRow } from './resource-columns.js';
import { preparedOf, rowOfPrepared, validated, type PreparedResource } from './resource-validation.js';
import type { Db } from './sqlcipher-connection.js';

/** The resource type `K` as its FHIR interface. */
export type ResourceOf<K extends SupportedResourceType> = Extract<Resource, { resourceType: K }>;

export type { PreparedResource };

export interface ResourceStore {
  /** Validates and stores one resource (insert or replace by type and id); returns it as stored. */
  upsert<T extends Resource>(resource: T): T;
  upsert(resource: unknown): Resource;
  /** Validates every resource first, then writes them all in one transaction. Returns the count. */
  upsertMany(resources: readonly unknown[]): number;
  /**
   * Validates one resource and builds its row, writing nothing; throws VaultError INVALID_RESOURCE.
   * `json`, when given, must be the very text `resource` was parsed from, or its UTF-8 bytes: it is
   * stored as it is (no second serialisation). Bytes are decoded only when the row is written, so a
   * prepared row waiting for its transaction keeps its JSON outside the JavaScript heap; they must
   * not change until then.
   */
  prepare(resource: unknown, json?: string | Buffer): PreparedResource;
  /** Writes prepared resources (insert or replace by type and id) in one transaction. Returns the count. */
  upsertPrepared(prepared: readonly PreparedResource[]): number;
  read<K extends SupportedResourceType>(type: K, id: string): ResourceOf<K> | null;
  /** The hub's versionId and lastUpdated of a stored resource (null when the hub assigned none yet). */
  versionOf(type: SupportedResourceType, id: string): { versionId: string | null; lastUpdated: string | null } | null;
  /**
   * The hub's versionId of each stored resource of `type` among `ids` (null when the hub assigned
   * none yet); ids not stored are absent. One query for many resources (e.g. a page from the hub).
   */
  versionsOf(type: SupportedResourceType, ids: readonly string[]): Map<string, string | null>;
  /** A patient's resources of one type whose effective time is from `fromMs` to `toMs`, newest first. */
  ofPatientBetween<K extends SupportedResourceType>(patientId: string, type: K, fromMs: number, toMs: number): ResourceOf<K>[];
  /** Removes a resource; false when there was none. */
  delete(type: SupportedResourceType, id: string): boolean;
  /** How many resources are stored, of one type or in all. */
  count(type?: SupportedResourceType): number;
}

type RowColumns = [
  type: string,
  id: string,
  patientId: string | null,
  category: string | null,
  code: string | null,
  effectiveMs: number | null,
  status: string | null,
  valueNum: number | null,
  valueUnit: string | null,
  versionId: string | null,
  lastUpdated: string | null,
];
type RowValues = [...RowColumns, json: string];
/** The same with the JSON as its UTF-8 bytes. */
type BytesRowValues = [...RowColumns, json: Buffer];

export function createResourceStore(db: Db): ResourceStore {
  // Positional parameters: binding ten values from an array is cheaper than from named keys. The
  // JSON is bound as text, or as the UTF-8 bytes a prepared row holds (the hub's page), stored as
  // text by SQLite itself (CAST ... AS TEXT): no decoding into a JavaScript string and encoding back.
  const upsertSql = (json: string): string => `
    INSERT INTO resources (type, id, patient_id, category, code, effective_ms, status, value_num, value_unit, version_id, last_updated, json)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${json})
    ON CONFLICT (type, id) DO UPDATE SET
      patient_id = excluded.patient_id, category = excluded.category, code = excluded.code,
      effective_ms = excluded.effective_ms, status = excluded.status, value_num = excluded.value_num,
      value_unit = excluded.value_unit, version_id = excluded.version_id,
      last_updated = excluded.last_updated, json = excluded.json`;
  const upsertStatement = db.prepare<RowValues>(upsertSql('?'));
  const upsertBytesStatement = db.prepare<BytesRowValues>(upsertSql('CAST(? AS TEXT)'));
  const write = (row: ResourceRow): void => {
    const { json } = row;
    const columns: RowColumns = [
      row.type,
      row.id,
      row.patientId,
      row.category,
      row.code,
      row.effectiveMs,
      row.status,
      row.valueNum,
      row.valueUnit,
      row.versionId,
      row.lastUpdated,
    ];
    // Bytes that are not valid UTF-8 are decoded (with replacement characters, as the resource the
    // vault validated was parsed from them), never stored as they are.
    if (typeof json !== 'string' && isUtf8(json)) upsertBytesStatement.run(...columns, json);
    else upsertStatement.run(...columns, typeof json === 'string' ? json : json.toString('utf8'));
  };
  const readStatement = db.prepare<[string, string], string>('SELECT json FROM resources WHERE type = ? AND id = ?').pluck();
  const versionStatement = db.prepare<[string, string], { versionId: string | null; lastUpdated: string | null }>(
    'SELECT version_id AS versionId, last_updated AS lastUpdated FROM resources WHERE type = ? AND id = ?',
  );
  const versionsStatement = db
    .prepare<[string, string], [string, string | null]>(
      'SELECT id, version_id FROM resources WHERE type = ? AND id IN (SELECT value FROM json_each(?))',
    )
    .raw();
  const betweenStatement = db
    .prepare<[string, string, number, number], string>(
      'SELECT json FROM resources WHERE patient_id = ? AND type = ? AND effective_ms >= ? AND effective_ms <= ? ORDER BY effective_ms DESC',
    )
    .pluck();
  const deleteStatement = db.prepare<[string, string]>('DELETE FROM resources WHERE type = ? AND id = ?');
  const carryRestriction = createRestrictionCarrier(db);
  const countAll = db.prepare<[], number>('SELECT count(*) FROM resources').pluck();
  const countType = db.prepare<[string], number>('SELECT count(*) FROM resources WHERE type = ?').pluck();
  const writeRows = db.transaction((rows: readonly ResourceRow[]) => {
    for (const row of rows) write(row);
  });

  return {
    upsert(input: unknown) {
      const { resource, row } = validated(input);
      write(row);
      return resource;
    },
    upsertMany(inputs) {
      const rows = inputs.map((input, position) => validated(input, position).row);
      writeRows(rows);
      return rows.length;
    },
    prepare(input, json) {
      const { row } = validated(input, undefined, json);
      return preparedOf(row);
    },
    upsertPrepared(prepared) {
      writeRows(prepared.map(rowOfPrepared));
      return prepared.length;
    },
    read<K extends SupportedResourceType>(type: K, id: string) {
      const json = readStatement.get(type, id);
      return json === undefined ? null : (JSON.parse(json) as ResourceOf<K>);
    },
    versionOf(type, id) {
      return versionStatement.get(type, id) ?? null;
    },
    versionsOf(type, ids) {
      const versions = new Map<string, string | null>();
      if (ids.length === 0) return versions;
      for (const [id, versionId] of versionsStatement.all(type, JSON.stringify(ids))) versions.set(id, versionId);
      return versions;
    },
    ofPatientBetween(patientId, type, fromMs, toMs) {
      return betweenStatement.all(patientId, type, fromMs, toMs).map((json) => JSON.parse(json) as Resource);
    },
    delete(type, id) {
      // A Patient the hub deleted or that left this ward's scope: its conflicts keep its restriction.
      if (type === 'Patient') carryRestriction(id);
      return deleteStatement.run(type, id).changes > 0;
    },
    count(type) {
      return (type === undefined ? countAll.get() : countType.get(type)) ?? 0;
    },
  } as ResourceStore;
}
