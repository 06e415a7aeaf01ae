import { describe, expect, it } from 'vitest';
import { latestNews2, news2Rounds } from './news2-rounds.js';
import type { VitalObservationReading } from './news2-observations.js';
import { news2Summary } from './news2-summary.js';

const at = (minutes: number): string => new Date(Date.UTC(2026, 2, 12, 14, 0) + minutes * 60_000).toISOString();
const reading = (
  code: string,
  value: number | null,
  minutes: number,
  extra: Partial<VitalObservationReading> = {},
): VitalObservationReading => ({
  code: `http://loinc.org|${code}`,
  time: at(minutes),
  value,
  valueText: null,
  components: [],
  ...extra,
});
const heartRate = (value: number, minutes: number): VitalObservationReading => reading('8867-4', value, minutes);

/** A complete round: 10, High (RR 25: 3, SpO2 93: 2, air: 0, systolic 105: 1, pulse 115: 2, alert: 0, 39.5 °C: 2). */
const highRound = (minutes: number): VitalObservationReading[] => [
  reading('9279-1', 25, minutes),
  reading('59408-5', 93, minutes),
  reading('3151-8', 0, minutes),
  reading('85354-9', null, minutes, { components: [{ code: '8480-6', value: 105 }] }),
  heartRate(115, minutes),
  reading('67775-7', null, minutes, { valueText: 'Alert' }),
  reading('8310-5', 39.5, minutes),
];

describe('the NEWS2 a list leads with', () => {
  it('keeps the last complete round\'s "10 High" when one pulse is charted hours later, with the pulse beside it as a newer incomplete set', () => {
    const latest = latestNews2([...highRound(0), heartRate(72, 180)]);
    expect(latest?.complete).toMatchObject({ at: at(0), score: { total: 10, band: 'high', complete: true } });
    expect(latest?.newerIncomplete).toMatchObject({ at: at(180), score: { total: 0, complete: false } });
    expect(latest?.newerIncomplete?.score.missing).toHaveLength(6);
    expect(news2Summary(latest)).toEqual({
      total: 10,
      band: 'high',
      complete: true,
      missing: [],
      at: at(0),
      newerIncomplete: {
        total: 0,
        band: 'low',
        complete: false,
        missing: ['respiratoryRate', 'oxygenSaturation', 'supplementalOxygen', 'systolic', 'consciousness', 'temperatureCelsius'],
        at: at(180),
      },
    });
  });

  it('shows the newest round alone when it is complete, and an incomplete one alone when none ever was', () => {
    // Within the hour, the new pulse completes a set with the round: scored with it (115 → 72: 10 → 8).
    expect(news2Summary(latestNews2([...highRound(0), heartRate(72, 20)]))).toMatchObject({
      total: 8,
      complete: true,
      at: at(20),
      newerIncomplete: null,
    });
    expect(news2Summary(latestNews2([heartRate(35, 0)]))).toMatchObject({
      total: 3,
      band: 'low-medium',
      complete: false,
      newerIncomplete: null,
    });
    expect(latestNews2([reading('72514-3', 3, 0)])).toBeNull();
  });

  it('does not let a pulse charted minutes after a round hide that round in the rounds either', () => {
    // The round's readings spread over 55 minutes; a pulse 10 minutes later leaves its first readings out of the pulse's set.
    const spread = highRound(0).map((r, i) => (i === 4 ? { ...r, time: at(55) } : r));
    const rounds = news2Rounds([...spread, heartRate(72, 65)]);
    expect(rounds.map((r) => [r.at, r.score.total, r.score.complete])).toEqual([
      [at(65), 0, false],
      [at(55), 10, true],
      [at(0), 8, false],
    ]);
    expect(latestNews2([...spread, heartRate(72, 65)])?.complete?.at).toBe(at(55));
  });

  it("counts readings of one round a few minutes apart once, at the round's latest time", () => {
    const staggered = highRound(0).map((r, i) => ({ ...r, time: at(i) }));
    expect(news2Rounds(staggered).map((r) => [r.at, r.score.complete])).toEqual([[at(6), true]]);
  });
});
