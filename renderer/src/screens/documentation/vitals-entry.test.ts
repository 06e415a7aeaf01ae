import { describe, expect, it } from 'vitest';
import { vitalSignsEntrySchema } from '../../../../shared/contract/index.js';
import { checkVitals, VITAL_FIELDS } from './vitals-entry.js';

const now = new Date('2026-03-12T14:00:00Z');

describe('checkVitals', () => {
  it('uses exactly the ranges the host accepts', () => {
    for (const field of VITAL_FIELDS) {
      const schema = vitalSignsEntrySchema.shape[field.key].unwrap();
      expect([field.min, field.max, field.decimals === 0]).toEqual([schema.minValue, schema.maxValue, schema.isInt]);
    }
  });

  it('builds the entry the host takes, with the time defaulting to now', () => {
    const result = checkVitals(
      { heartRate: 88, systolic: 120, diastolic: 80, temperatureCelsius: 37.24, painScore: Number.NaN },
      null,
      now,
    );
    expect(result).toEqual({
      ok: true,
      entry: { heartRate: 88, systolic: 120, diastolic: 80, temperatureCelsius: 37.2, effectiveAt: now.toISOString() },
    });
  });

  it('refuses a value out of range, naming the field', () => {
    const result = checkVitals({ heartRate: 400 }, null, now);
    expect(result).toMatchObject({ ok: false, fieldErrors: { heartRate: 'Heart rate must be between 0 and 350.' } });
  });

  it('asks for both blood-pressure values', () => {
    expect(checkVitals({ systolic: 120 }, null, now)).toMatchObject({
      ok: false,
      fieldErrors: { diastolic: expect.stringContaining('both') },
    });
  });

  it('asks for at least one value and refuses a time in the future', () => {
    expect(checkVitals({}, null, now)).toMatchObject({ ok: false, formError: 'Enter at least one vital sign.' });
    expect(checkVitals({ heartRate: 70 }, new Date('2026-03-12T15:00:00Z'), now)).toMatchObject({
      ok: false,
      formError: expect.stringContaining('future'),
    });
  });
});
