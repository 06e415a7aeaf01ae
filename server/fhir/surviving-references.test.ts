// Re-pointing a workstation's write to the record that stands for a merged-away one follows a chain
// of merges to its end however long it is, and leaves a reference as written when its chain runs
// into a cycle (no record in it stands for the others), without looping. The user-visible case, a
// long chain of A40 merges over MLLP, is in tests/hub/merged-record-documentation.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Observation, Patient, Resource } from '../../shared/fhir/index.js';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import { importResources } from './import-resources.js';
import { resourceStoreMigrations } from './store/index.js';
import { followMergedRecords } from './surviving-references.js';

function patient(id: string, replacedBy?: string): Patient {
  return {
    resourceType: 'Patient',
    id,
    ...(replacedBy === undefined ? {} : { active: false, link: [{ other: { reference: `Patient/${replacedBy}` }, type: 'replaced-by' }] }),
  };
}

function vitals(patientId: string): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: `Patient/${patientId}` },
    valueQuantity: { value: 88, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

describe('following merged records', () => {
  let db: SqlDatabase;

  beforeEach(async () => {
    db = openSqliteDatabase(':memory:');
    await runMigrations(db, resourceStoreMigrations);
  });
  afterEach(async () => {
    await db.close();
  });

  async function followed(patientId: string): Promise<{ subject: string | undefined; changed: number }> {
    const resource = vitals(patientId);
    const changed = await db.transaction((tx) => followMergedRecords(tx, resource as Resource));
    return { subject: resource.subject?.reference, changed };
  }

  it('follows a chain of twenty merges to the record at its end', async () => {
    const ids = Array.from({ length: 21 }, (_, k) => `p-${k}`);
    await importResources(
      db,
      ids.map((id, k) => patient(id, ids[k + 1])),
      new Date(),
    );
    expect(await followed('p-0')).toEqual({ subject: 'Patient/p-20', changed: 1 });
    expect(await followed('p-13')).toEqual({ subject: 'Patient/p-20', changed: 1 });
    expect(await followed('p-20')).toEqual({ subject: 'Patient/p-20', changed: 0 });
  });

  it('leaves a reference whose chain runs into a cycle as written', async () => {
    await importResources(
      db,
      [patient('a', 'b'), patient('b', 'c'), patient('c', 'a'), patient('x', 'a'), patient('self', 'self')],
      new Date(),
    );
    expect(await followed('a')).toEqual({ subject: 'Patient/a', changed: 0 });
    expect(await followed('c')).toEqual({ subject: 'Patient/c', changed: 0 });
    expect(await followed('x')).toEqual({ subject: 'Patient/x', changed: 0 });
    expect(await followed('self')).toEqual({ subject: 'Patient/self', changed: 0 });
  });
});
