// The clinical search terms: each type's date on its R4 path (choice elements, periods, open ends,
// precision), code and category codings; and the migration that fills them in for what a hub
// stored before they existed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../shared/fhir/index.js';
import { openSqliteDatabase, runMigrations } from '../../storage/index.js';
import { clinicalTokensOf, dateSpanOf, OPEN_END } from './clinical-terms.js';
import { parseInstantRange } from './hub-clock.js';
import { resourceStoreMigrations } from './resource-store-migrations.js';

const subject = { reference: 'Patient/p1' };
const at = (text: string) => parseInstantRange(text)!;

const OBSERVATION = {
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }, { code: 'local-hr' }] },
  subject,
  effectiveDateTime: '2026-01-02T10:00:00Z',
} as Resource;

const ADMINISTRATION = {
  resourceType: 'MedicationAdministration',
  id: 'ma1',
  status: 'completed',
  medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361' }] },
  subject,
  effectivePeriod: { start: '2026-01-11T09:05:00Z', end: '2026-01-11T09:06:00Z' },
} as Resource;

describe('clinical search terms', () => {
  it('reads each type’s date on its R4 path, at the precision written', () => {
    expect(dateSpanOf(OBSERVATION)).toEqual(at('2026-01-02T10:00:00Z'));
    expect(dateSpanOf(ADMINISTRATION)).toEqual({ start: at('2026-01-11T09:05:00Z').start, end: at('2026-01-11T09:06:00Z').end });
    const encounter = { resourceType: 'Encounter', id: 'e', status: 'in-progress', period: { start: '2026-01' } } as Resource;
    expect(dateSpanOf(encounter)).toEqual({ start: at('2026-01').start, end: OPEN_END });
    const allergy = { resourceType: 'AllergyIntolerance', id: 'a', patient: subject, recordedDate: '2001-02-03' } as Resource;
    expect(dateSpanOf(allergy)).toEqual(at('2001-02-03'));
    expect(dateSpanOf({ resourceType: 'Patient', id: 'p1', birthDate: '1950-01-01' } as Resource)).toBeNull();
    expect(dateSpanOf({ ...OBSERVATION, effectiveDateTime: 'yesterday' } as Resource)).toBeNull();
  });

  it('indexes every coding of the code and the category', () => {
    expect(clinicalTokensOf(OBSERVATION)).toEqual([
      { param: 'code', system: 'http://loinc.org', value: '8867-4' },
      { param: 'code', system: '', value: 'local-hr' },
      { param: 'category', system: 'http://terminology.hl7.org/CodeSystem/observation-category', value: 'vital-signs' },
    ]);
    expect(clinicalTokensOf(ADMINISTRATION)).toEqual([
      { param: 'code', system: 'http://www.nlm.nih.gov/research/umls/rxnorm', value: '197361' },
    ]);
  });

  it('are filled in for what a hub stored before they existed', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'wardline-clinical-terms-'));
    const db = openSqliteDatabase(join(folder, 'hub.sqlite'));
    try {
      const before = resourceStoreMigrations.filter((migration) => migration.id !== 'fhir-0004-clinical-search');
      await runMigrations(db, before);
      for (const [index, resource] of [OBSERVATION, ADMINISTRATION].entries()) {
        await db.execute(
          'INSERT INTO fhir_resources (res_type, res_id, version, last_updated, seq, deleted, patient_id, status, content) VALUES ($1, $2, 1, 1, $3, 0, $4, NULL, $5)',
          [resource.resourceType, resource.id, index + 1, 'p1', JSON.stringify(resource)],
        );
      }
      await runMigrations(db, resourceStoreMigrations);
      const dates = await db.query<{ res_id: string; date_start: number; date_end: number }>(
        'SELECT res_id, date_start, date_end FROM fhir_resources ORDER BY res_id',
      );
      expect(dates.map((row) => [row.res_id, Number(row.date_start), Number(row.date_end)])).toEqual([
        ['ma1', at('2026-01-11T09:05:00Z').start, at('2026-01-11T09:06:00Z').end],
        ['o1', at('2026-01-02T10:00:00Z').start, at('2026-01-02T10:00:00Z').end],
      ]);
      const tokens = await db.query<{ res_id: string; param: string; value: string }>(
        `SELECT res_id, param, value FROM fhir_tokens WHERE param IN ('code', 'category') ORDER BY res_id, param, value`,
      );
      expect(tokens.map((row) => `${row.res_id} ${row.param} ${row.value}`)).toEqual([
        'ma1 code 197361',
        'o1 category vital-signs',
        'o1 code 8867-4',
        'o1 code local-hr',
      ]);
    } finally {
      await db.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
