// A version prepared beforehand (on the upstream mirror's page worker) is stored exactly as the
// store's own path stores the same resource: the same JSON text, search tokens, columns and ward
// references, for a first version and for one replacing another.
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../shared/fhir/index.js';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../../storage/index.js';
import { beginWrite, endWrite } from './hub-clock.js';
import { prepareContent } from './prepared-content.js';
import { readCurrent, writeVersions } from './resource-store.js';
import { resourceStoreMigrations } from './resource-store-migrations.js';

const NOW = new Date('2026-12-07T10:00:00.000Z');
const source = (type: string, id: string): { source: string } => ({ source: `https://ehr.example/fhir/${type}/${id}/_history/3` });

const resources: Resource[] = [
  {
    resourceType: 'Observation',
    id: 'o1',
    meta: { ...source('Observation', 'o1'), security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] },
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }], text: 'Température °C — ünïcödé 𝄞' },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2026-12-01T08:00:00Z',
    valueQuantity: { value: 37.2, unit: '°C' },
  } as Resource,
  // meta in the middle, and last.
  {
    resourceType: 'Condition',
    id: 'c1',
    subject: { reference: 'Patient/p1' },
    meta: source('Condition', 'c1'),
    code: { text: 'Pneumonia' },
    recordedDate: '2026-11-30',
  } as Resource,
  {
    id: 'f1',
    resourceType: 'Flag',
    status: 'active',
    code: { text: 'Falls risk' },
    subject: { reference: 'Patient/p1' },
    meta: source('Flag', 'f1'),
  } as Resource,
  {
    resourceType: 'Patient',
    id: 'p1',
    meta: { ...source('Patient', 'p1'), security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] },
    identifier: [{ system: 'urn:wardline:mrn', value: 'MRN-1' }],
    name: [{ family: 'Ñúñez', given: ['Zoë'] }],
  } as Resource,
  {
    resourceType: 'Encounter',
    id: 'e1',
    meta: source('Encounter', 'e1'),
    status: 'in-progress',
    class: { code: 'IMP' },
    subject: { reference: 'Patient/p1' },
    period: { start: '2026-11-29T10:00:00Z' },
    location: [{ location: { reference: 'Location/ward-icu' }, status: 'active' }],
  } as Resource,
];

interface Stored {
  readonly content: string | null;
  readonly version: number | undefined;
  readonly rows: unknown[];
}

async function store(db: SqlDatabase, resource: Resource, prepared: boolean): Promise<Stored> {
  await db.transaction(async (tx) => {
    const session = await beginWrite(tx, NOW);
    const previous = await readCurrent(tx, resource.resourceType, resource.id!);
    await writeVersions(tx, session, [prepared ? { content: prepareContent(resource), previous } : { resource, previous }]);
    await endWrite(tx, session);
  });
  const current = await readCurrent(db, resource.resourceType, resource.id!);
  const rows = await db.query(
    `SELECT r.patient_id, r.status, r.care_end_ms, r.date_start, r.date_end,
       (SELECT group_concat(param || '|' || system || '|' || value, ';') FROM fhir_tokens t WHERE t.seq = r.seq) AS tokens,
       (SELECT group_concat(w.ward_ref, ';') FROM fhir_version_wards w JOIN fhir_versions v ON v.seq = w.seq
          WHERE v.res_type = r.res_type AND v.res_id = r.res_id) AS wards
     FROM fhir_resources r WHERE r.res_type = $1 AND r.res_id = $2`,
    [resource.resourceType, resource.id],
  );
  return { content: typeof current?.content === 'string' ? current.content : null, version: current?.version, rows };
}

async function freshStore(): Promise<SqlDatabase> {
  const db = openSqliteDatabase(':memory:');
  await runMigrations(db, resourceStoreMigrations);
  return db;
}

describe('a version prepared beforehand', () => {
  it('is stored as the store stores the resource itself: text, tokens, columns and ward references', async () => {
    const own = await freshStore();
    const prepared = await freshStore();
    try {
      for (const resource of resources) {
        const expected = await store(own, resource, false);
        expect(expected.content).not.toBeNull();
        expect(await store(prepared, resource, true)).toEqual(expected);
      }
      // A second version, the Encounter moved to another ward: both wards in its history's references.
      const moved = { ...resources[4]!, location: [{ location: { reference: 'Location/ward-med' }, status: 'active' }] } as Resource;
      const expected = await store(own, moved, false);
      expect(expected.version).toBe(2);
      expect(await store(prepared, moved, true)).toEqual(expected);
    } finally {
      await own.close();
      await prepared.close();
    }
  });

  it('is refused for a resource carrying the version the store sets', () => {
    expect(() => prepareContent({ resourceType: 'Flag', id: 'f1', meta: { versionId: '2' } } as Resource)).toThrow();
  });
});
