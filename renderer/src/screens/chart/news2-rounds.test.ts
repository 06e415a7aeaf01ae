import { describe, expect, it } from 'vitest';
import type { TrendPointData } from '../../../../shared/contract/index.js';
import { news2Rounds } from './news2-rounds.js';

const at = (hours: number): string => new Date(Date.UTC(2026, 2, 12, 2 + hours)).toISOString();
const point = (
  hours: number,
  value: number | null,
  components: TrendPointData['components'] = [],
  valueText: string | null = null,
): TrendPointData => ({
  time: at(hours),
  value,
  unit: null,
  valueText,
  components,
});
const acvpu = (hours: number, level: string): TrendPointData => point(hours, null, [], level);
const bp = (hours: number, systolic: number): TrendPointData =>
  point(hours, null, [
    { code: '8480-6', display: null, value: systolic, unit: 'mmHg' },
    { code: '8462-4', display: null, value: 60, unit: 'mmHg' },
  ]);

describe('NEWS2 by round', () => {
  it('scores each round from its own readings, newest first', () => {
    const rounds = news2Rounds([
      { code: '9279-1', points: [point(0, 16), point(4, 22)] },
      { code: '59408-5', points: [point(0, 98), point(4, 93)] },
      { code: '3151-8', points: [point(0, 0), point(4, 0)] },
      { code: '85354-9', points: [bp(0, 120), bp(4, 98)] },
      { code: '8867-4', points: [point(0, 70), point(4, 104)] },
      { code: '67775-7', points: [acvpu(0, 'Mentally alert'), acvpu(4, 'Acute confusion')] },
      { code: '8310-5', points: [point(0, 37), point(4, 38.4)] },
    ]);
    expect(rounds.map((r) => [r.at, r.score.total, r.score.band, r.score.complete])).toEqual([
      [at(4), 11, 'high', true],
      [at(0), 0, 'low', true],
    ]);
  });

  it('reads consciousness from the ACVPU trend, never from the GCS', () => {
    const vitals = [
      { code: '9279-1', points: [point(0, 16)] },
      { code: '59408-5', points: [point(0, 98)] },
      { code: '3151-8', points: [point(0, 0)] },
      { code: '85354-9', points: [bp(0, 120)] },
      { code: '8867-4', points: [point(0, 70)] },
      { code: '8310-5', points: [point(0, 37)] },
    ];
    const gcsOnly = news2Rounds([...vitals, { code: '9269-2', points: [point(0, 9)] }]);
    expect(gcsOnly[0]?.score).toMatchObject({ total: 0, complete: false, missing: ['consciousness'] });
    const voice = news2Rounds([...vitals, { code: '67775-7', points: [acvpu(0, 'Responds to voice')] }]);
    expect(voice[0]?.score).toMatchObject({ total: 3, complete: true });
  });

  it('is empty without scored readings', () => {
    expect(news2Rounds([{ code: '8867-4', points: [] }])).toEqual([]);
  });
});
