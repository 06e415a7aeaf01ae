// Setting up a ward (its Location, in one durable write transaction of the FHIR store) and listing
// the wards the hub serves with their census (patients whose Encounter is in progress at the ward).
import type { Location } from '../../shared/fhir/index.js';
import { isWardCode, LOCATION_PHYSICAL_TYPE_SYSTEM, WARD_CODE_RULE, WARD_SYSTEM, wardLocationId } from '../../shared/fhir/index.js';
import { feedTransaction } from '../fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { WardError } from './ward-error.js';

const MAX_NAME = 80;

export interface WardAdded {
  /** False when the ward was already set up with this name (nothing written). */
  readonly changed: boolean;
  /** True when the ward existed and only its name changed. */
  readonly renamed: boolean;
  readonly locationId: string;
}

export interface WardSummary {
  readonly code: string;
  readonly name: string;
  /** Patients with an Encounter in progress at the ward. */
  readonly inProgress: number;
}

/** Refuses a code the ADT feed could not send or that would not make a FHIR id. */
export function checkWardCode(code: string): void {
  if (!isWardCode(code)) {
    throw new WardError('WARD_CODE_INVALID', WARD_CODE_RULE);
  }
}

function checkName(name: string): string {
  const trimmed = name.trim();
  // eslint-disable-next-line no-control-regex
  if (!trimmed || trimmed.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new WardError('WARD_NAME_INVALID', `A ward's name is 1–${MAX_NAME} characters on one line.`);
  }
  return trimmed;
}

function isWardLocation(location: Location): boolean {
  return location.partOf === undefined && location.physicalType?.coding?.some((c) => c.code === 'wa') !== false;
}

function wardLocation(code: string, name: string): Location {
  return {
    resourceType: 'Location',
    id: wardLocationId(code),
    identifier: [{ system: WARD_SYSTEM, value: code }],
    status: 'active',
    name,
    mode: 'instance',
    physicalType: { coding: [{ system: LOCATION_PHYSICAL_TYPE_SYSTEM, code: 'wa', display: 'Ward' }] },
  };
}

/**
 * Sets up the ward `code` (named `name`, the code when absent): creates its Location, or renames it.
 * Refuses a code whose Location id is taken by something that is not a ward (a bed).
 */
export async function addWard(
  db: SqlDatabase,
  code: string,
  name: string | undefined,
  now: Date,
  /** Records the change in the hub's trail, in the change's own transaction (`tx`); not called when nothing changed. */
  record: (tx: SqlDatabase, added: WardAdded) => Promise<void> = async () => undefined,
): Promise<WardAdded> {
  checkWardCode(code);
  const display = checkName(name ?? code);
  const id = wardLocationId(code);
  return feedTransaction(db, now, async (writer) => {
    const existing = await writer.read<Location>('Location', id);
    if (existing === null) {
      await writer.put(wardLocation(code, display));
      const added = { changed: true, renamed: false, locationId: id };
      await record(writer.tx, added);
      return added;
    }
    if (!isWardLocation(existing.resource)) {
      throw new WardError('WARD_NOT_A_WARD', `Location/${id} is a room or bed of another ward; choose another ward code.`);
    }
    if (existing.resource.name === display && existing.resource.status === 'active') {
      return { changed: false, renamed: false, locationId: id };
    }
    await writer.put({ ...existing.resource, name: display, status: 'active' });
    const renamed = { changed: true, renamed: true, locationId: id };
    await record(writer.tx, renamed);
    return renamed;
  });
}

/** True when the hub serves the ward: its Location exists (what the ADT feed checks, AE 103 otherwise). */
export async function isWardServed(db: SqlDatabase, code: string): Promise<boolean> {
  if (!isWardCode(code)) return false;
  const rows = await db.query<{ content: string | Buffer | null }>(
    `SELECT content FROM fhir_resources WHERE res_type = 'Location' AND res_id = $1 AND deleted = 0`,
    [wardLocationId(code)],
  );
  const content = rows[0]?.content;
  if (content === undefined || content === null) return false;
  return isWardLocation(JSON.parse(typeof content === 'string' ? content : content.toString('utf8')) as Location);
}

/** The wards the hub serves, by code, with how many patients are in progress at each. */
export async function listWards(db: SqlDatabase): Promise<WardSummary[]> {
  const rows = await db.query<{ res_id: string; content: string | Buffer | null }>(
    `SELECT res_id, content FROM fhir_resources WHERE res_type = 'Location' AND res_id LIKE 'ward-%' AND deleted = 0 ORDER BY res_id`,
  );
  const wards: { code: string; name: string }[] = [];
  for (const row of rows) {
    if (row.content === null) continue;
    const location = JSON.parse(typeof row.content === 'string' ? row.content : row.content.toString('utf8')) as Location;
    if (!isWardLocation(location)) continue;
    const code = row.res_id.slice('ward-'.length);
    wards.push({ code, name: location.name ?? code });
  }
  const census = await db.query<{ ward_ref: string; n: unknown }>(
    `SELECT t.value AS ward_ref, COUNT(DISTINCT r.patient_id) AS n FROM fhir_tokens t
       JOIN fhir_resources r ON r.res_type = t.res_type AND r.res_id = t.res_id
      WHERE t.res_type = 'Encounter' AND t.param = 'location' AND r.status = 'in-progress' AND r.deleted = 0
      GROUP BY t.value`,
  );
  const counts = new Map(census.map((row) => [row.ward_ref, Number(row.n)]));
  return wards.map((ward) => ({ ...ward, inProgress: counts.get(`Location/${wardLocationId(ward.code)}`) ?? 0 }));
}
