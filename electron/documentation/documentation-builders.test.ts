// The vital signs the workstation builds pass the check the hub applies to them (shared/vital-signs),
// at the edges of each range and breathing air (a flow of 0); one step outside a range does not.
import { describe, expect, it } from 'vitest';
import { VITAL_RANGES, vitalObservationProblem } from '../../shared/vital-signs/index.js';
import { vitalSignObservations, type BuildContext } from './documentation-builders.js';

let next = 0;
const context: BuildContext = {
  patientId: 'p-1',
  encounterId: 'e-1',
  author: { reference: 'Practitioner/u-1' },
  now: '2026-01-15T10:00:00.000Z',
  newId: () => `id-${(next += 1)}`,
};

describe('vital signs as the workstation writes them', () => {
  it('pass the hub’s check at both ends of every range, on air and on oxygen', () => {
    for (const end of ['min', 'max'] as const) {
      const observations = vitalSignObservations(context, {
        heartRate: VITAL_RANGES.heartRate[end],
        respiratoryRate: VITAL_RANGES.respiratoryRate[end],
        temperatureCelsius: VITAL_RANGES.temperatureCelsius[end],
        oxygenSaturation: VITAL_RANGES.oxygenSaturation[end],
        painScore: VITAL_RANGES.painScore[end],
        systolic: 120,
        diastolic: 80,
        onOxygen: true,
        oxygenFlowLitresPerMinute: VITAL_RANGES.oxygenFlowLitresPerMinute[end],
        consciousness: 'voice',
      });
      expect(observations).toHaveLength(8);
      for (const observation of observations) expect(vitalObservationProblem(observation)).toBeNull();
    }
    const [air] = vitalSignObservations(context, { onOxygen: false });
    expect(air?.valueQuantity?.value).toBe(0);
    expect(vitalObservationProblem(air!)).toBeNull();
  });

  it('fail it one step outside a range, or with diastolic not below systolic', () => {
    const [tooFast] = vitalSignObservations(context, { heartRate: VITAL_RANGES.heartRate.max + 1 });
    expect(vitalObservationProblem(tooFast!)?.kind).toBe('out-of-range');
    const [swapped] = vitalSignObservations(context, { systolic: 80, diastolic: 120 });
    expect(vitalObservationProblem(swapped!)?.kind).toBe('out-of-range');
    expect(JSON.stringify(vitalObservationProblem(tooFast!))).not.toContain(String(VITAL_RANGES.heartRate.max + 1));
  });
});
