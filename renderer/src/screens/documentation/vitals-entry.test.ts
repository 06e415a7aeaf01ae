import { describe, expect, it } from 'vitest';
import { checkVitals, EMPTY_VITALS, firstFieldInError, vitalsPreview, type VitalsFormValues } from './vitals-entry.js';

const now = new Date('2026-03-12T14:00:00Z');
const typed = (texts: VitalsFormValues['texts'], extra: Partial<VitalsFormValues> = {}): VitalsFormValues => ({
  ...EMPTY_VITALS,
  texts,
  ...extra,
});

describe('checkVitals', () => {
  it('builds the entry the host takes, with the time defaulting to now', () => {
    const result = checkVitals(
      typed({ heartRate: '88', systolic: '120', diastolic: '80', temperatureCelsius: '37.2', painScore: '' }),
      null,
      now,
      'en-GB',
    );
    expect(result).toEqual({
      ok: true,
      entry: { heartRate: 88, systolic: 120, diastolic: 80, temperatureCelsius: 37.2, effectiveAt: now.toISOString() },
    });
  });

  it('reads "37,2" as 37.2 in English and German, never 372', () => {
    for (const locale of ['en-GB', 'de-DE']) {
      const result = checkVitals(typed({ temperatureCelsius: '37,2' }), null, now, locale);
      expect(result).toMatchObject({ ok: true, entry: { temperatureCelsius: 37.2 } });
    }
  });

  it('refuses ambiguous or unreadable input, naming the field', () => {
    expect(checkVitals(typed({ heartRate: '1,000' }), null, now, 'en-GB')).toMatchObject({
      ok: false,
      fieldErrors: { heartRate: expect.stringMatching(/^Heart rate: .*two ways/) as string },
    });
    expect(checkVitals(typed({ temperatureCelsius: '37.2°' }), null, now, 'en-GB')).toMatchObject({ ok: false });
  });

  it('refuses a pulse of 0 and a diastolic above the systolic, and focuses the first field in error', () => {
    const result = checkVitals(typed({ heartRate: '0', systolic: '60', diastolic: '98' }), null, now, 'en-GB');
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: {
        heartRate: expect.stringMatching(/above 0/) as string,
        diastolic: expect.stringMatching(/below the systolic/) as string,
      },
    });
    if (!result.ok) expect(firstFieldInError(result.fieldErrors)).toBe('diastolic');
  });

  it('asks for the flow when on oxygen, and for both blood-pressure values', () => {
    expect(checkVitals(typed({ oxygenSaturation: '95' }, { onOxygen: true }), null, now, 'en-GB')).toMatchObject({
      ok: false,
      fieldErrors: { oxygenFlowLitresPerMinute: expect.stringMatching(/flow/) as string },
    });
    expect(checkVitals(typed({ systolic: '120' }), null, now, 'en-GB')).toMatchObject({
      ok: false,
      fieldErrors: { diastolic: expect.stringContaining('both') as string },
    });
  });

  it('asks for at least one value and refuses a time in the future', () => {
    expect(checkVitals(EMPTY_VITALS, null, now, 'en-GB')).toMatchObject({ ok: false, formError: 'Enter at least one vital sign.' });
    expect(checkVitals(typed({ heartRate: '70' }), new Date('2026-03-12T15:00:00Z'), now, 'en-GB')).toMatchObject({
      ok: false,
      formError: expect.stringContaining('future') as string,
    });
  });
});

describe('vitalsPreview', () => {
  it("flags the issue's deteriorating set and scores it NEWS2 8, high", () => {
    const preview = vitalsPreview(
      typed(
        { temperatureCelsius: '38,4', heartRate: '104', respiratoryRate: '22', systolic: '98', diastolic: '60', oxygenSaturation: '93' },
        { onOxygen: false, consciousness: 'alert' },
      ),
      'en-GB',
    );
    expect(preview.news2).toMatchObject({ total: 8, band: 'high', complete: true });
    expect(preview.flags).toMatchObject({
      temperatureCelsius: { level: 'abnormal', text: 'High' },
      heartRate: { level: 'abnormal', text: 'High' },
      respiratoryRate: { level: 'abnormal', text: 'High' },
      systolic: { level: 'abnormal', text: 'Low' },
      oxygenSaturation: { level: 'abnormal', text: 'Low' },
    });
    expect(preview.flags.diastolic).toBeUndefined();
  });

  it('shows no score before a scored value is entered, and an incomplete one after', () => {
    expect(vitalsPreview(typed({ painScore: '3' }), 'en-GB').news2).toBeNull();
    expect(vitalsPreview(typed({ heartRate: '35' }), 'en-GB').news2).toMatchObject({ total: 3, complete: false });
    expect(vitalsPreview(typed({ heartRate: '35' }), 'en-GB').flags.heartRate).toMatchObject({ level: 'critical', text: 'Very low' });
  });
});
