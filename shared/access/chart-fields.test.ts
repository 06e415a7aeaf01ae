// Which category each field of the census row and the chart summary falls under, read with the
// permission table: a clerk reads the demographic fields only; a nurse and a physician every one.
import { describe, expect, it } from 'vitest';
import { CENSUS_ROW_FIELDS, CHART_SUMMARY_FIELDS, clinicalFields, mayReadField, readableFields } from './chart-fields.js';

describe('the field tables of the census and the chart summary', () => {
  it('let a clerk read only the demographic fields, and a nurse and a physician every field', () => {
    for (const table of [CENSUS_ROW_FIELDS, CHART_SUMMARY_FIELDS]) {
      for (const field of Object.keys(table) as (keyof typeof table & string)[]) {
        expect(mayReadField('clerk', table, field), field).toBe(table[field] === 'demographics');
        expect(mayReadField('nurse', table, field), field).toBe(true);
        expect(mayReadField('physician', table, field), field).toBe(true);
        expect(mayReadField('admin', table, field), field).toBe(false);
      }
    }
  });

  it('names the clinical fields a clerk is never sent', () => {
    expect(clinicalFields(CENSUS_ROW_FIELDS).sort()).toEqual(
      ['alerts', 'dosesRecordedTwice', 'hasAllergies', 'lastVitalsAt', 'news2', 'noKnownAllergies'].sort(),
    );
    expect(clinicalFields(CHART_SUMMARY_FIELDS).sort()).toEqual(
      ['alerts', 'allergies', 'dosesRecordedTwice', 'labs', 'medications', 'news2', 'noKnownAllergies', 'problems', 'vitals'].sort(),
    );
  });

  it('leaves a field out (absent, not blank) when the role may not read it or the table does not name it', () => {
    const row = { patientId: 'p1', news2: null, hasAllergies: false, unnamed: 'x' };
    expect(readableFields('clerk', row, CENSUS_ROW_FIELDS)).toStrictEqual({ patientId: 'p1' });
    expect(readableFields('nurse', row, CENSUS_ROW_FIELDS)).toStrictEqual({ patientId: 'p1', news2: null, hasAllergies: false });
    expect(mayReadField('nurse', CENSUS_ROW_FIELDS, 'toString' as keyof typeof CENSUS_ROW_FIELDS & string)).toBe(false);
  });
});
