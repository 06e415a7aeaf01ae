import { describe, expect, it } from 'vitest';
import { observationValueText, unitText } from './observation-format.js';
import { vitalName } from './vital-definitions.js';

describe('observationValueText', () => {
  it('shows a blood-pressure panel as systolic/diastolic', () => {
    expect(
      observationValueText({
        value: null,
        unit: null,
        components: [
          { code: 'http://loinc.org|8462-4', value: 80, unit: 'mm[Hg]' },
          { code: '8480-6', value: 120, unit: 'mm[Hg]' },
        ],
      }),
    ).toBe('120/80 mmHg');
  });

  it('writes units as people read them', () => {
    expect(observationValueText({ value: 37.25, unit: 'Cel', components: [] })).toBe('37.25 °C');
    expect(observationValueText({ value: 4, unit: '{score}', components: [] })).toBe('4');
    expect(unitText('mmol/L')).toBe('mmol/L');
  });

  it('falls back to the text value, then a dash', () => {
    expect(observationValueText({ value: null, valueText: 'Positive', unit: null, components: [] })).toBe('Positive');
    expect(observationValueText({ value: null, unit: null, components: [] })).toBe('—');
  });

  it('names vital signs plainly', () => {
    expect(vitalName('http://loinc.org|8867-4', 'Heart rate (LOINC)')).toBe('Heart rate');
    expect(vitalName('1234-5', 'Something else')).toBe('Something else');
  });
});
