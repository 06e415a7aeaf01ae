import { describe, expect, it } from 'vitest';
import { trendRows, valueDomain } from './trend-series.js';
import { PLOTTED_VITALS } from './vital-definitions.js';

const heartRate = PLOTTED_VITALS.find((v) => v.code === '8867-4')!;
const bloodPressure = PLOTTED_VITALS.find((v) => v.code === '85354-9')!;

describe('trendRows', () => {
  it('orders points by time and drops those without a value', () => {
    const rows = trendRows([
      { time: '2026-03-12T08:00:00Z', value: 90, unit: '/min', components: [] },
      { time: '2026-03-12T04:00:00Z', value: 80, unit: '/min', components: [] },
      { time: '2026-03-12T06:00:00Z', value: null, unit: null, components: [] },
    ], heartRate);
    expect(rows.map((r) => r.value)).toEqual([80, 90]);
  });

  it('splits the blood-pressure panel into systolic and diastolic', () => {
    const rows = trendRows([
      { time: '2026-03-12T08:00:00Z', value: null, unit: null, components: [
        { code: 'http://loinc.org|8480-6', display: null, value: 130, unit: 'mm[Hg]' },
        { code: 'http://loinc.org|8462-4', display: null, value: 85, unit: 'mm[Hg]' },
      ] },
    ], bloodPressure);
    expect(rows).toEqual([{ t: Date.parse('2026-03-12T08:00:00Z'), time: '2026-03-12T08:00:00Z', systolic: 130, diastolic: 85 }]);
  });

  it('gives the axis room around a flat line', () => {
    const domain = valueDomain([{ t: 1, time: '', value: 98 }, { t: 2, time: '', value: 98 }]);
    expect(domain![0]).toBeLessThan(98);
    expect(domain![1]).toBeGreaterThan(98);
    expect(valueDomain([])).toBeNull();
    expect(valueDomain([{ t: 1, time: '', systolic: 133, diastolic: 58 }, { t: 2, time: '', systolic: 121, diastolic: 62 }])).toEqual([40, 140]);
  });
});
