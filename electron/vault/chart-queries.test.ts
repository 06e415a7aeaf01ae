import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MedicationAdministration, Observation, Resource } from '../../shared/fhir/index.js';
import { SCHEDULED_TIME_EXTENSION_URL } from '../../shared/fhir/index.js';
import { generateWard, type SyntheticPatient, type SyntheticWard } from '../../shared/synthetic/index.js';
import { createChartQueries } from './chart-queries.js';
import { keyNameFor } from './key-name.js';
import { KeytarCustodian } from './keytar-custodian.js';
import { LATE_AFTER_MS } from './mar-query.js';
import { openKeyedConnection } from './sqlcipher-connection.js';
import { temporaryDataDir } from './test-helpers.js';
import { createVault, type Vault } from './vault.js';
import { vaultFilePath } from './vault-files.js';
import { wipeVault } from './wipe.js';

const custodian = new KeytarCustodian();
const NOW = '2026-01-15T08:00:00Z';
const DAY = 86_400_000;
let ward: SyntheticWard;
let otherWard: SyntheticWard;
let vault: Vault;
let dataDir: { dir: string; remove: () => void };

beforeAll(async () => {
  ward = generateWard({ seed: 'chart-queries', patients: 5, days: 3, ward: { id: '4b', name: 'Ward 4B' }, now: NOW });
  otherWard = generateWard({ seed: 'chart-queries-icu', patients: 2, days: 2, ward: { id: 'icu', name: 'ICU' }, now: NOW });
  dataDir = temporaryDataDir('chart');
  vault = await createVault({ dataDir: dataDir.dir, custodian, ward: ward.location.id! });
  vault.resources.upsertMany(ward.resources);
  vault.resources.upsertMany(otherWard.resources);
});

afterAll(async () => {
  vault.close();
  await wipeVault({ dataDir: dataDir.dir, custodian });
  dataDir.remove();
});

const ofType = <T extends Resource>(p: SyntheticPatient, type: T['resourceType']): T[] =>
  p.resources.filter((r): r is T => r.resourceType === type);
const categoryOf = (o: Observation): string | undefined => o.category?.[0]?.coding?.[0]?.code;
const codeOf = (o: Observation): string => `${o.code.coding![0]!.system}|${o.code.coding![0]!.code}`;
const timeOf = (o: Observation): number => Date.parse(o.effectiveDateTime!);

/** Per code, the observation with the greatest effective time, computed from the generated data. */
function expectedLatest(p: SyntheticPatient, category: string): Map<string, Observation> {
  const latest = new Map<string, Observation>();
  for (const o of ofType<Observation>(p, 'Observation')) {
    if (categoryOf(o) !== category || o.status === 'entered-in-error') continue;
    const seen = latest.get(codeOf(o));
    if (seen === undefined || timeOf(o) > timeOf(seen)) latest.set(codeOf(o), o);
  }
  return latest;
}

describe('census', () => {
  it('lists the patients in progress on this ward, by bed, with what the ward list shows', () => {
    const census = vault.census();
    expect(census.map((entry) => entry.patientId).sort()).toEqual(ward.patients.map((p) => p.patient.id).sort());
    expect(census.map((entry) => entry.bed)).toEqual(['Bed 1', 'Bed 2', 'Bed 3', 'Bed 4', 'Bed 5']);
    for (const entry of census) {
      const p = ward.patients.find((candidate) => candidate.patient.id === entry.patientId)!;
      const name = p.patient.name![0]!;
      expect(entry.name).toBe(`${name.family}, ${name.given!.join(' ')}`);
      expect(entry.mrn).toBe(p.patient.identifier![0]!.value);
      expect(entry.birthDate).toBe(p.patient.birthDate);
      expect(entry.encounterId).toBe(p.encounter.id);
      expect(entry.admittedAt).toBe(p.encounter.period!.start);
      const flags = p.resources.filter((r) => r.resourceType === 'Flag' && r.status === 'active');
      expect(entry.alerts.map((alert) => alert.id).sort()).toEqual(flags.map((f) => f.id).sort());
      const realAllergies = p.resources.filter((r) => r.resourceType === 'AllergyIntolerance' && r.code?.coding?.[0]?.code !== '716186003');
      expect(entry.hasAllergies).toBe(realAllergies.length > 0);
      const vitalTimes = [...expectedLatest(p, 'vital-signs').values()].map(timeOf);
      expect(Date.parse(entry.lastVitalsAt!)).toBe(Math.max(...vitalTimes));
    }
  });

  it('leaves out a patient once discharged', () => {
    const p = ward.patients[2]!;
    vault.resources.upsert({ ...p.encounter, status: 'finished' });
    try {
      expect(vault.census().map((entry) => entry.patientId)).not.toContain(p.patient.id);
      expect(vault.census()).toHaveLength(4);
    } finally {
      vault.resources.upsert(p.encounter);
    }
  });

  it("lists every ward's patients when the vault has no ward set", () => {
    vault.setWard(null);
    try {
      expect(vault.census()).toHaveLength(7);
    } finally {
      vault.setWard(ward.location.id!);
    }
  });
});

describe('patient summary', () => {
  it('shows the latest value of each vital sign and lab, the active lists and the alerts', () => {
    for (const p of ward.patients) {
      const summary = vault.patientSummary(p.patient.id!)!;
      expect(summary.patient.id).toBe(p.patient.id);
      expect(summary.encounter).toMatchObject({ id: p.encounter.id, status: 'in-progress', ward: ward.location.id });

      const vitals = expectedLatest(p, 'vital-signs');
      expect(summary.vitals.map((v) => v.code).sort()).toEqual([...vitals.keys()].sort());
      for (const vital of summary.vitals) {
        const expected = vitals.get(vital.code)!;
        expect(vital.observationId).toBe(expected.id);
        expect(vital.value).toBe(expected.valueQuantity?.value ?? null);
      }
      const bloodPressure = summary.vitals.find((v) => v.code === 'http://loinc.org|85354-9')!;
      expect(bloodPressure.components.map((c) => c.code)).toEqual(['8480-6', '8462-4']);
      expect(bloodPressure.components.every((c) => typeof c.value === 'number')).toBe(true);

      const labs = expectedLatest(p, 'laboratory');
      expect(summary.labs.map((l) => l.code).sort()).toEqual([...labs.keys()].sort());
      for (const lab of summary.labs) {
        const expected = labs.get(lab.code)!;
        expect(lab.observationId).toBe(expected.id);
        expect(lab.interpretation).toBe(expected.interpretation![0]!.coding![0]!.code);
        expect(['H', 'L', 'N']).toContain(lab.interpretation);
      }

      const activeRequests = p.resources.filter((r) => r.resourceType === 'MedicationRequest' && r.status === 'active');
      expect(summary.medications.map((m) => m.requestId).sort()).toEqual(activeRequests.map((r) => r.id).sort());
      const activeProblems = p.resources.filter(
        (r) => r.resourceType === 'Condition' && ['active', 'recurrence', 'relapse'].includes(r.clinicalStatus?.coding?.[0]?.code ?? ''),
      );
      expect(summary.problems.map((c) => c.id).sort()).toEqual(activeProblems.map((c) => c.id).sort());
      const allergies = p.resources.filter((r) => r.resourceType === 'AllergyIntolerance');
      const documentedNone = allergies.some((a) => a.code?.coding?.[0]?.code === '716186003');
      expect(summary.noKnownAllergies).toBe(documentedNone);
      expect(summary.allergies).toHaveLength(documentedNone ? 0 : allergies.length);
      expect(summary.alerts.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('is null for a patient the vault does not hold', () => {
    expect(vault.patientSummary('not-a-patient')).toBeNull();
  });
});

describe('observation trend', () => {
  it('gives the points of one code inside the window, in time order', () => {
    const p = ward.patients[0]!;
    const to = Date.parse(NOW);
    const from = to - DAY;
    const expected = ofType<Observation>(p, 'Observation')
      .filter((o) => codeOf(o) === 'http://loinc.org|8867-4' && timeOf(o) >= from && timeOf(o) <= to)
      .sort((a, b) => timeOf(a) - timeOf(b));
    const points = vault.observationTrend(p.patient.id!, '8867-4', new Date(from).toISOString(), new Date(to).toISOString());
    expect(expected.length).toBeGreaterThan(4);
    expect(points.map((point) => point.value)).toEqual(expected.map((o) => o.valueQuantity!.value));
    expect(points.map((point) => Date.parse(point.time))).toEqual(expected.map(timeOf));
    expect(points.every((point) => point.unit === expected[0]!.valueQuantity!.unit)).toBe(true);
    expect(
      vault.observationTrend(p.patient.id!, 'http://loinc.org|8867-4', new Date(from).toISOString(), new Date(to).toISOString()),
    ).toEqual(points);
  });

  it('carries systolic and diastolic for blood pressure', () => {
    const p = ward.patients[1]!;
    const points = vault.observationTrend(p.patient.id!, '85354-9', '2026-01-12T00:00:00Z', NOW);
    expect(points.length).toBeGreaterThan(10);
    for (const point of points) {
      expect(point.components.map((c) => c.code)).toEqual(['8480-6', '8462-4']);
      expect(point.components[0]!.value!).toBeGreaterThan(point.components[1]!.value!);
    }
  });

  it('is empty outside the recorded period and for a code never recorded', () => {
    const id = ward.patients[0]!.patient.id!;
    expect(vault.observationTrend(id, '8867-4', '2020-01-01T00:00:00Z', '2020-12-31T00:00:00Z')).toEqual([]);
    expect(vault.observationTrend(id, '0000-0', '2020-01-01T00:00:00Z', NOW)).toEqual([]);
  });

  it('refuses a window that is not a date', () => {
    expect(() => vault.observationTrend('p', '8867-4', 'last tuesday', NOW)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }));
  });
});

describe('medication administration record', () => {
  it('lists each active order with its doses in the window, marked given, late or held', () => {
    let late = 0;
    let held = 0;
    let given = 0;
    const to = Date.parse(NOW);
    const from = to - 2 * DAY;
    for (const p of ward.patients) {
      const mar = vault.medicationAdministrationRecord(p.patient.id!, new Date(from).toISOString(), new Date(to).toISOString());
      const active = p.resources.filter((r) => r.resourceType === 'MedicationRequest' && r.status === 'active');
      expect(mar.map((row) => row.medication.requestId).sort()).toEqual(active.map((r) => r.id).sort());
      for (const row of mar) {
        const expected = ofType<MedicationAdministration>(p, 'MedicationAdministration').filter((a) => {
          const scheduled = a.extension?.find((e) => e.url === SCHEDULED_TIME_EXTENSION_URL)?.valueDateTime ?? a.effectiveDateTime!;
          return (
            a.request?.reference === `MedicationRequest/${row.medication.requestId}` &&
            Date.parse(scheduled) >= from &&
            Date.parse(scheduled) <= to
          );
        });
        expect(row.administrations.map((a) => a.id).sort()).toEqual(expected.map((a) => a.id).sort());
        for (const administration of row.administrations) {
          const source = expected.find((a) => a.id === administration.id)!;
          const scheduled = source.extension?.find((e) => e.url === SCHEDULED_TIME_EXTENSION_URL)?.valueDateTime;
          const state =
            source.status === 'not-done'
              ? 'held'
              : scheduled !== undefined && Date.parse(source.effectiveDateTime!) - Date.parse(scheduled) > LATE_AFTER_MS
                ? 'late'
                : 'given';
          expect(administration.state).toBe(state);
          if (state === 'held') expect(administration.reason).toBeTruthy();
          if (state === 'late') late += 1;
          else if (state === 'held') held += 1;
          else given += 1;
        }
        const anchors = row.administrations.map((a) => Date.parse(a.scheduledAt ?? a.administeredAt!));
        expect(anchors).toEqual([...anchors].sort((a, b) => a - b));
      }
    }
    expect(given).toBeGreaterThan(0);
    expect(late + held).toBeGreaterThan(0);
  });
});

describe('query plans', () => {
  it('answers every chart query through the indexes, never by scanning all resources', async () => {
    const key = (await custodian.load(keyNameFor(dataDir.dir, 'vault')))!;
    const executed: string[] = [];
    const db = openKeyedConnection(vaultFilePath(dataDir.dir), key, { create: false });
    key.fill(0);
    try {
      const traced = new Proxy(db, {
        get(target, property, receiver) {
          if (property === 'prepare') {
            return (sql: string) => {
              executed.push(sql);
              return target.prepare(sql);
            };
          }
          const value = Reflect.get(target, property, receiver) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      createChartQueries(traced, () => ward.location.id!);
      expect(executed.length).toBeGreaterThan(5);
      for (const sql of executed) {
        const parameters = (sql.match(/\?/g) ?? []).map(() => 'x');
        const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1]!, m[1]!.endsWith('Ms') ? 0 : 'x']));
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(Object.keys(named).length > 0 ? [named] : parameters)) as Array<{
          detail: string;
        }>;
        const details = plan.map((row) => row.detail);
        expect(
          details.filter((detail) => /^SCAN resources\b/.test(detail)),
          `${sql}\n${details.join('\n')}`,
        ).toEqual([]);
      }
      const trend = executed.find((sql) => sql.includes('value_num AS value'))!;
      expect(trend).toBeDefined();
      const trendPlan = (
        db.prepare(`EXPLAIN QUERY PLAN ${trend}`).all({ patientId: 'x', code: 'x', fromMs: 0, toMs: 1 }) as Array<{ detail: string }>
      ).map((row) => row.detail);
      expect(trendPlan.join('\n')).toMatch(/USING COVERING INDEX resources_by_patient_code_time/);
      expect(trendPlan.join('\n')).not.toMatch(/TEMP B-TREE/);
    } finally {
      db.close();
    }
  });
});
