import { describe, expect, it } from 'vitest';
import { news2OfObservations, type VitalObservationReading } from './news2-observations.js';

const LOINC = 'http://loinc.org|';
const at = (minutes: number): string => new Date(Date.UTC(2026, 2, 12, 14, 0) + minutes * 60_000).toISOString();
const reading = (
  code: string,
  value: number | null,
  minutes: number,
  extra: Partial<VitalObservationReading> = {},
): VitalObservationReading => ({
  code: `${LOINC}${code}`,
  time: at(minutes),
  value,
  valueText: null,
  components: [],
  ...extra,
});

const round = (minutes: number, values: { hr: number; rr: number; t: number; spo2: number; sys: number; flow: number }) => [
  reading('8867-4', values.hr, minutes),
  reading('9279-1', values.rr, minutes),
  reading('8310-5', values.t, minutes),
  reading('59408-5', values.spo2, minutes),
  reading('85354-9', null, minutes, {
    components: [
      { code: '8480-6', value: values.sys },
      { code: '8462-4', value: 60 },
    ],
  }),
  reading('3151-8', values.flow, minutes),
];

describe("NEWS2 of a chart's latest observations", () => {
  it('scores the newest round, with consciousness from ACVPU and air from a 0 L/min flow', () => {
    const readings = [
      ...round(-240, { hr: 70, rr: 16, t: 37, spo2: 98, sys: 120, flow: 0 }),
      ...round(0, { hr: 104, rr: 22, t: 38.4, spo2: 93, sys: 98, flow: 0 }),
      reading('67775-7', null, 0, { valueText: 'Alert' }),
    ];
    const result = news2OfObservations(readings);
    expect(result?.at).toBe(at(0));
    expect(result?.score).toMatchObject({ total: 8, band: 'high', complete: true });
  });

  it('scores consciousness from ACVPU (new confusion scores 3), and an oxygen flow as on oxygen', () => {
    const readings = [
      ...round(0, { hr: 70, rr: 16, t: 37, spo2: 98, sys: 120, flow: 2 }),
      reading('67775-7', null, 0, { valueText: 'Acute confusion' }),
    ];
    expect(news2OfObservations(readings)?.score).toMatchObject({ total: 5, band: 'medium', complete: true });
  });

  it('never lets a GCS stand in for ACVPU: consciousness is missing, and the GCS changes nothing', () => {
    const withGcs = [...round(0, { hr: 70, rr: 16, t: 37, spo2: 98, sys: 120, flow: 2 }), reading('9269-2', 14, 0)];
    const result = news2OfObservations(withGcs)?.score;
    expect(result?.missing).toEqual(['consciousness']);
    expect(result).toMatchObject({ total: 2, complete: false });
    const alert = news2OfObservations([...withGcs, reading('67775-7', null, 0, { valueText: '248234008' })])?.score;
    expect(alert).toMatchObject({ total: 2, complete: true });
  });

  it('never mixes in a value from a round hours before: it is missing instead', () => {
    const readings = [reading('8867-4', 140, -300), ...round(0, { hr: 70, rr: 16, t: 37, spo2: 98, sys: 120, flow: 0 }).slice(1)];
    const result = news2OfObservations(readings);
    expect(result?.score.missing).toContain('heartRate');
    expect(result?.score.missing).toContain('consciousness');
    expect(result?.score.complete).toBe(false);
  });

  it('is null for a chart without scored vitals', () => {
    expect(news2OfObservations([reading('72514-3', 3, 0)])).toBeNull();
  });
});
