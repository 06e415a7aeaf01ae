// The care_end_ms column behind $everything's `start`: written with every version, and filled in
// for resources a hub stored before the column existed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../shared/fhir/index.js';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../../storage/index.js';
import { beginWrite, endWrite } from './hub-clock.js';
import { resourceTables } from './migrations/0001-resources.js';
import { careEndMigration } from './migrations/0002-care-end.js';
import { writeVersions } from './resource-store.js';
import { resourceStoreMigrations } from './resource-store-migrations.js';
import { patientCompartment } from './search-query.js';

const subject = { reference: 'Patient/p1' };
const OLD = '2025-06-01T10:00:00Z';
const RECENT = '2026-01-05T10:00:00Z';
const RESOURCES: Resource[] = [
  { resourceType: 'Patient', id: 'p1' },
  { resourceType: 'AllergyIntolerance', id: 'allergy', patient: subject, recordedDate: '2001-02-03' },
  { resourceType: 'Observation', id: 'old', status: 'final', code: { text: 'x' }, subject, effectiveDateTime: OLD },
  { resourceType: 'Observation', id: 'recent', status: 'final', code: { text: 'x' }, subject, effectiveDateTime: RECENT },
  {
    resourceType: 'Encounter',
    id: 'open',
    status: 'in-progress',
    class: { code: 'IMP' },
    subject,
    period: { start: '2020-01-01T00:00:00Z' },
  },
] as Resource[];

async function withDb(run: (db: SqlDatabase) => Promise<void>): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'wardline-care-end-'));
  const db = openSqliteDatabase(join(folder, 'hub.sqlite'));
  try {
    await run(db);
  } finally {
    await db.close();
    await rm(folder, { recursive: true, force: true });
  }
}

const careEnds = async (db: SqlDatabase) =>
  Object.fromEntries(
    (await db.query<{ res_id: string; care_end_ms: number | null }>('SELECT res_id, care_end_ms FROM fhir_resources')).map((r) => [
      r.res_id,
      r.care_end_ms === null ? null : Number(r.care_end_ms),
    ]),
  );

const EXPECTED = { p1: null, allergy: null, old: Date.parse(OLD), recent: Date.parse(RECENT), open: null };

describe('the care_end_ms column', () => {
  it('is written with each version, and the compartment from a start leaves out only care that ended before it', async () => {
    await withDb(async (db) => {
      await runMigrations(db, resourceStoreMigrations);
      await db.transaction(async (tx) => {
        const session = await beginWrite(tx, new Date());
        await writeVersions(
          tx,
          session,
          RESOURCES.map((resource) => ({ resource, previous: null })),
        );
        await endWrite(tx, session);
      });
      expect(await careEnds(db)).toEqual(EXPECTED);
      const page = await patientCompartment(db, 'p1', 100, undefined, Date.parse('2026-01-01T00:00:00Z'));
      expect(page.rows.map((row) => row.id).sort()).toEqual(['allergy', 'open', 'p1', 'recent']);
      expect((await patientCompartment(db, 'p1', 100)).rows).toHaveLength(5);
    });
  });

  it('is filled in for what a hub stored before it existed', async () => {
    await withDb(async (db) => {
      await runMigrations(db, [resourceTables]);
      for (const [index, resource] of RESOURCES.entries()) {
        await db.execute(
          'INSERT INTO fhir_resources (res_type, res_id, version, last_updated, seq, deleted, patient_id, status, content) VALUES ($1, $2, 1, 1, $3, 0, $4, NULL, $5)',
          [resource.resourceType, resource.id, index + 1, 'p1', JSON.stringify(resource)],
        );
      }
      await runMigrations(db, [resourceTables, careEndMigration]);
      expect(await careEnds(db)).toEqual(EXPECTED);
    });
  });
});
