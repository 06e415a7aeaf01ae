// The privacy officer's trail search by patient name, with many patients in the trail: it finds the
// patient through the name index (a lookup per word), and the hub reads back a handful of rows for
// it, not one per patient the trail mentions (a search that read every Patient would read hundreds).
// A renamed patient is found by the new name only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/fhir/index.js';
import { generateWard } from '../../shared/synthetic/index.js';
import { migrateHub } from '../app.js';
import { putResources } from '../fhir/index.js';
import { openSqliteDatabase, type SqlDatabase } from '../storage/index.js';
import { trailRequestOf } from './trail-search.js';

const PATIENTS = 300;
let db: SqlDatabase;
let patients: Patient[];

beforeEach(async () => {
  db = openSqliteDatabase(':memory:');
  await migrateHub(db);
  patients = Array.from({ length: PATIENTS }, (_, i) => {
    const synthetic = generateWard({ seed: `trail-names-${Math.floor(i / 10)}`, patients: 10, days: 1 }).patients[i % 10]!.patient;
    return { ...synthetic, id: `p-${String(i).padStart(4, '0')}` };
  });
  await putResources(db, patients, new Date());
  // Every patient appears in the trail (a break-the-glass read each).
  for (const [i, p] of patients.entries()) {
    await db.execute(
      `INSERT INTO hub_access_log (id, at, device_id, user_id, patient_id, interaction, res_type, res_id, reason) VALUES ($1, $2, 'dev-1', 'u-1', $3, 'read', 'Patient', $3, 'btg')`,
      [`log-${i}`, 1_700_000_000_000 + i, p.id],
    );
  }
});
afterEach(async () => {
  await db.close();
});

/** The database as the search sees it, counting the rows it reads back. */
function counting(inner: SqlDatabase): { db: SqlDatabase; rows: () => number } {
  let rows = 0;
  const db = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result = (await (value as (...a: unknown[]) => unknown).apply(target, args)) as unknown;
        if (Array.isArray(result)) rows += result.length;
        else if (result !== null && typeof result === 'object' && 'content' in result) rows += 1;
        return result;
      };
    },
  });
  return { db, rows: () => rows };
}

const familyOf = (p: Patient): string => p.name![0]!.family!;

describe("the privacy officer's trail search by patient name", () => {
  it('finds the patient through the name index, reading a handful of rows however many patients the trail holds', async () => {
    const wanted = patients[137]!;
    const family = familyOf(wanted);
    const given = wanted.name![0]!.given![0]!;
    const expected = patients.filter((p) => familyOf(p) === family && p.name![0]!.given![0]!.startsWith(given)).map((p) => p.id!);
    const { db: counted, rows } = counting(db);
    const request = await trailRequestOf(counted, new URLSearchParams({ 'patient.name': `${family.toLowerCase()} ${given}` }));
    expect(request.filter.patientIds).toEqual(expected.sort());
    expect(request.filter.patientIds).toContain(wanted.id);
    // One index row per match and word, and the matches' own Patients: nowhere near one per patient.
    expect(rows()).toBeLessThanOrEqual(6 * expected.length + 4);
    expect(rows()).toBeLessThan(PATIENTS / 10);
    // The start of a word finds it too; a word in no name finds nobody.
    expect((await trailRequestOf(db, new URLSearchParams({ 'patient.name': family.slice(0, 3) }))).filter.patientIds).toContain(wanted.id);
    expect((await trailRequestOf(db, new URLSearchParams({ 'patient.name': 'zzqxnobody' }))).filter.patientIds).toEqual([]);
  });

  it('follows a rename: the new name finds the patient, the old one no longer does', async () => {
    const wanted = patients[42]!;
    const oldFamily = familyOf(wanted);
    await putResources(db, [{ ...wanted, name: [{ family: 'Quenneville-Tarrant', given: ['Ysolde'] }] }], new Date());
    const byNew = await trailRequestOf(db, new URLSearchParams({ 'patient.name': 'quenneville-tarrant ysolde' }));
    expect(byNew.filter.patientIds).toEqual([wanted.id]);
    const byOld = await trailRequestOf(db, new URLSearchParams({ 'patient.name': `${oldFamily} ${wanted.name![0]!.given![0]!}` }));
    expect(byOld.filter.patientIds).not.toContain(wanted.id);
  });
});
