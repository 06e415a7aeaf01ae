import { describe, expect, it } from 'vitest';
import { timeTicks, trendRows, valueAxis } from './trend-series.js';
import { PLOTTED_VITALS } from './vital-definitions.js';

const heartRate = PLOTTED_VITALS.find((v) => v.code === '8867-4')!;
const bloodPressure = PLOTTED_VITALS.find((v) => v.code === '85354-9')!;

describe('trendRows', () => {
  it('orders points by time and drops those without a value', () => {
    const rows = trendRows(
      [
        { time: '2026-03-12T08:00:00Z', value: 90, unit: '/min', valueText: null, components: [] },
        { time: '2026-03-12T04:00:00Z', value: 80, unit: '/min', valueText: null, components: [] },
        { time: '2026-03-12T06:00:00Z', value: null, unit: null, valueText: null, components: [] },
      ],
      heartRate,
    );
    expect(rows.map((r) => r.value)).toEqual([80, 90]);
  });

  it('splits the blood-pressure panel into systolic and diastolic', () => {
    const rows = trendRows(
      [
        {
          time: '2026-03-12T08:00:00Z',
          value: null,
          unit: null,
          valueText: null,
          components: [
            { code: 'http://loinc.org|8480-6', display: null, value: 130, unit: 'mm[Hg]' },
            { code: 'http://loinc.org|8462-4', display: null, value: 85, unit: 'mm[Hg]' },
          ],
        },
      ],
      bloodPressure,
    );
    expect(rows).toEqual([{ t: Date.parse('2026-03-12T08:00:00Z'), time: '2026-03-12T08:00:00Z', systolic: 130, diastolic: 85 }]);
  });

  it('puts the value axis on round numbers, with room around a flat line', () => {
    const flat = valueAxis([
      { t: 1, time: '', value: 98 },
      { t: 2, time: '', value: 98 },
    ])!;
    expect(flat.domain[0]).toBeLessThan(98);
    expect(flat.domain[1]).toBeGreaterThan(98);
    expect(valueAxis([])).toBeNull();
    expect(
      valueAxis([
        { t: 1, time: '', systolic: 133, diastolic: 58 },
        { t: 2, time: '', systolic: 121, diastolic: 62 },
      ]),
    ).toEqual({ domain: [40, 140], ticks: [40, 60, 80, 100, 120, 140] });
  });

  it('marks the time axis every 6 hours over a day, and at midnight over a week', () => {
    const from = new Date(2026, 2, 12, 9, 30).getTime();
    expect(timeTicks(from, from + 24 * 3_600_000).map((t) => new Date(t).getHours())).toEqual([12, 18, 0, 6]);
    const week = timeTicks(from, from + 7 * 24 * 3_600_000);
    expect(week).toHaveLength(7);
    expect(week.every((t) => new Date(t).getHours() === 0)).toBe(true);
  });
});
