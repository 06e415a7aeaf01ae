import { describe, expect, it } from 'vitest';
import {
  consciousnessScore,
  news2,
  news2Band,
  news2Text,
  pulseScore,
  respiratoryRateScore,
  spo2Scale1Score,
  spo2Scale2Score,
  supplementalOxygenScore,
  systolicScore,
  temperatureScore,
} from './news2.js';

// The NEWS2 chart (Royal College of Physicians, 2017), each parameter at both sides of every band edge.
describe('NEWS2 parameter scores (RCP 2017 chart)', () => {
  it.each([
    [0, 3],
    [8, 3],
    [9, 1],
    [11, 1],
    [12, 0],
    [20, 0],
    [21, 2],
    [24, 2],
    [25, 3],
    [60, 3],
  ])('respiration rate %d scores %d', (rate, score) => expect(respiratoryRateScore(rate)).toBe(score));

  it.each([
    [50, 3],
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
    [100, 0],
  ])('SpO2 scale 1: %d %% scores %d', (spo2, score) => expect(spo2Scale1Score(spo2)).toBe(score));

  it.each([
    [83, false, 3],
    [84, false, 2],
    [85, false, 2],
    [86, false, 1],
    [87, false, 1],
    [88, false, 0],
    [92, false, 0],
    [93, false, 0],
    [100, false, 0],
    [88, true, 0],
    [92, true, 0],
    [93, true, 1],
    [94, true, 1],
    [95, true, 2],
    [96, true, 2],
    [97, true, 3],
    [100, true, 3],
    [83, true, 3],
  ])('SpO2 scale 2: %d %% (on oxygen: %s) scores %d', (spo2, onOxygen, score) => expect(spo2Scale2Score(spo2, onOxygen)).toBe(score));

  it('air scores 0, oxygen 2', () => {
    expect(supplementalOxygenScore(false)).toBe(0);
    expect(supplementalOxygenScore(true)).toBe(2);
  });

  it.each([
    [70, 3],
    [90, 3],
    [91, 2],
    [100, 2],
    [101, 1],
    [110, 1],
    [111, 0],
    [219, 0],
    [220, 3],
    [260, 3],
  ])('systolic %d mmHg scores %d', (systolic, score) => expect(systolicScore(systolic)).toBe(score));

  it.each([
    [30, 3],
    [40, 3],
    [41, 1],
    [50, 1],
    [51, 0],
    [90, 0],
    [91, 1],
    [110, 1],
    [111, 2],
    [130, 2],
    [131, 3],
    [180, 3],
  ])('pulse %d scores %d', (pulse, score) => expect(pulseScore(pulse)).toBe(score));

  it('alert scores 0; new confusion, voice, pain and unresponsive score 3', () => {
    expect(consciousnessScore('alert')).toBe(0);
    for (const level of ['new-confusion', 'voice', 'pain', 'unresponsive'] as const) expect(consciousnessScore(level)).toBe(3);
  });

  it.each([
    [34.0, 3],
    [35.0, 3],
    [35.1, 1],
    [36.0, 1],
    [36.1, 0],
    [38.0, 0],
    [38.1, 1],
    [39.0, 1],
    [39.1, 2],
    [41.0, 2],
  ])('temperature %d °C scores %d', (celsius, score) => expect(temperatureScore(celsius)).toBe(score));
});

describe('NEWS2 aggregate and escalation band', () => {
  const normal = {
    respiratoryRate: 16,
    oxygenSaturation: 98,
    onOxygen: false,
    systolic: 120,
    heartRate: 70,
    consciousness: 'alert',
    temperatureCelsius: 37.0,
  } as const;

  it('scores a normal set 0, low band, complete', () => {
    const score = news2(normal);
    expect(score).toMatchObject({ total: 0, band: 'low', complete: true, missing: [] });
  });

  it('bands each aggregate: 1–4 low, 5–6 medium, 7 and above high', () => {
    expect(news2Band(0, false)).toBe('low');
    expect(news2Band(1, false)).toBe('low');
    expect(news2Band(4, false)).toBe('low');
    expect(news2Band(5, false)).toBe('medium');
    expect(news2Band(6, false)).toBe('medium');
    expect(news2Band(7, false)).toBe('high');
    expect(news2Band(20, false)).toBe('high');
  });

  it('raises a 3 in any single parameter to low–medium, below the medium threshold only', () => {
    expect(news2({ ...normal, consciousness: 'new-confusion' })).toMatchObject({ total: 3, band: 'low-medium' });
    expect(news2({ ...normal, heartRate: 35 })).toMatchObject({ total: 3, band: 'low-medium' });
    expect(news2({ ...normal, heartRate: 35, respiratoryRate: 10 })).toMatchObject({ total: 4, band: 'low-medium' });
    expect(news2({ ...normal, heartRate: 35, respiratoryRate: 22 })).toMatchObject({ total: 5, band: 'medium' });
    expect(news2({ ...normal, heartRate: 35, systolic: 85, respiratoryRate: 10 })).toMatchObject({ total: 7, band: 'high' });
  });

  it('scores 4 without a single 3 as low, 5 as medium, 6 as medium, 7 as high', () => {
    expect(news2({ ...normal, respiratoryRate: 22, onOxygen: true })).toMatchObject({ total: 4, band: 'low' });
    expect(news2({ ...normal, respiratoryRate: 22, onOxygen: true, heartRate: 95 })).toMatchObject({ total: 5, band: 'medium' });
    expect(news2({ ...normal, respiratoryRate: 22, onOxygen: true, systolic: 95 })).toMatchObject({ total: 6, band: 'medium' });
    expect(news2({ ...normal, respiratoryRate: 22, onOxygen: true, systolic: 95, heartRate: 95 })).toMatchObject({
      total: 7,
      band: 'high',
    });
  });

  it("scores the issue's deteriorating patient (38.4 °C, HR 104, RR 22, BP 98/60, SpO2 93 % on air, alert) 8, high", () => {
    const score = news2({ ...normal, temperatureCelsius: 38.4, heartRate: 104, respiratoryRate: 22, systolic: 98, oxygenSaturation: 93 });
    expect(score.scores).toEqual({
      temperatureCelsius: 1,
      heartRate: 1,
      respiratoryRate: 2,
      systolic: 2,
      oxygenSaturation: 2,
      supplementalOxygen: 0,
      consciousness: 0,
    });
    expect(score).toMatchObject({ total: 8, band: 'high' });
    expect(news2Text(score)).toBe('NEWS2 8 — High');
  });

  it('uses scale 2 only when asked, so SpO2 92 % on oxygen scores 0 there and 2 on scale 1', () => {
    expect(news2({ ...normal, oxygenSaturation: 92, onOxygen: true, spo2Scale: 2 }).scores.oxygenSaturation).toBe(0);
    expect(news2({ ...normal, oxygenSaturation: 92, onOxygen: true }).scores.oxygenSaturation).toBe(2);
  });

  it('says which parameters are missing, and that the score is then a lower bound', () => {
    const score = news2({ heartRate: 120, respiratoryRate: 22 });
    expect(score.complete).toBe(false);
    expect(score.total).toBe(4);
    expect(score.missing).toEqual(['oxygenSaturation', 'supplementalOxygen', 'systolic', 'consciousness', 'temperatureCelsius']);
    expect(news2Text(score)).toMatch(/^NEWS2 ≥ 4 \(incomplete: no SpO2, air or oxygen/);
  });
});
