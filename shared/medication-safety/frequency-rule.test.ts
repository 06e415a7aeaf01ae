import { describe, expect, it } from 'vitest';
import type { MedicationRequest } from '../fhir/index.js';
import { checkFrequency, type WardClock } from './frequency-rule.js';
import { orderScheduleOf } from './order-schedule.js';

const utc: WardClock = {
  dayOf: (iso) => new Date(iso).toISOString().slice(0, 10),
  timesOfDayOf: (iso) => [new Date(iso).toISOString().slice(11, 16)],
};
const mg = (value: number) => ({ value, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' });

const warfarin = orderScheduleOf({
  resourceType: 'MedicationRequest',
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p' },
  dosageInstruction: [
    { timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: ['18:00:00'] } }, doseAndRate: [{ doseQuantity: mg(5) }] },
  ],
} as MedicationRequest);

const paracetamolPrn = orderScheduleOf({
  resourceType: 'MedicationRequest',
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p' },
  dosageInstruction: [
    {
      timing: { repeat: { frequency: 1, period: 6, periodUnit: 'h' } },
      asNeededCodeableConcept: { text: 'Pain' },
      doseAndRate: [{ doseQuantity: mg(650) }],
      maxDosePerPeriod: { numerator: mg(2600), denominator: { value: 1, unit: 'day', system: 'http://unitsofmeasure.org', code: 'd' } },
    },
  ],
} as MedicationRequest);

const given = (scheduledAt: string | null, administeredAt: string) => ({ scheduledAt, administeredAt, given: true });

describe('the order schedule', () => {
  it('reads a once-daily order and an every-6-hours PRN order with its daily maximum', () => {
    expect(warfarin).toMatchObject({ prn: false, timesOfDay: ['18:00'], dosesPerDay: 1, orderedDose: { value: 5, unit: 'mg' } });
    expect(paracetamolPrn).toMatchObject({ prn: true, minIntervalMs: 6 * 3_600_000, maxDosesPerDay: 4 });
  });
});

describe('the frequency rule', () => {
  const today = given('2026-01-15T18:00:00Z', '2026-01-15T18:05:00Z');

  it('refuses a second dose of once-daily warfarin the same day, for the same slot or any other time', () => {
    const dose = { scheduledAt: '2026-01-15T18:00:00Z', effectiveAt: '2026-01-15T18:30:00Z', given: true };
    expect(checkFrequency(warfarin, [today], dose, utc).kind).toBe('already-recorded');
    expect(checkFrequency(warfarin, [today], { ...dose, scheduledAt: '2026-01-15T13:00:00Z' }, utc).kind).toBe('not-a-scheduled-time');
    expect(checkFrequency(warfarin, [today], { ...dose, scheduledAt: null }, utc).kind).toBe('unscheduled-extra');
    expect(checkFrequency(warfarin, [given(null, '2026-01-15T09:00:00Z')], dose, utc).kind).toBe('beyond-frequency');
  });

  it("lets tomorrow's scheduled dose through tomorrow, but not given today on top of today's", () => {
    const dose = { scheduledAt: '2026-01-16T18:00:00Z', effectiveAt: '2026-01-16T18:00:00Z', given: true };
    expect(checkFrequency(warfarin, [today], dose, utc).kind).toBe('ok');
    expect(checkFrequency(warfarin, [today], { ...dose, effectiveAt: '2026-01-15T20:00:00Z' }, utc).kind).toBe('beyond-frequency');
    // Yesterday's dose given late after midnight does not take today's place.
    const lateFromYesterday = given('2026-01-14T18:00:00Z', '2026-01-15T00:30:00Z');
    expect(
      checkFrequency(
        warfarin,
        [lateFromYesterday],
        { ...dose, scheduledAt: '2026-01-15T18:00:00Z', effectiveAt: '2026-01-15T18:00:00Z' },
        utc,
      ).kind,
    ).toBe('ok');
    // Held today, tomorrow's may still be recorded today (a held dose is not a dose given).
    expect(checkFrequency(warfarin, [{ ...today, given: false }], { ...dose, effectiveAt: '2026-01-15T20:00:00Z' }, utc).kind).toBe('ok');
  });

  it('refuses a PRN dose within its minimum interval, or past its daily maximum, and allows one after', () => {
    const last = given(null, '2026-01-15T10:00:00Z');
    expect(checkFrequency(paracetamolPrn, [last], { scheduledAt: null, effectiveAt: '2026-01-15T13:00:00Z', given: true }, utc)).toEqual({
      kind: 'prn-too-soon',
      nextAllowedAt: '2026-01-15T16:00:00.000Z',
    });
    expect(checkFrequency(paracetamolPrn, [last], { scheduledAt: null, effectiveAt: '2026-01-15T16:00:00Z', given: true }, utc).kind).toBe(
      'ok',
    );
    const four = ['2026-01-14T17:00:00Z', '2026-01-14T23:00:00Z', '2026-01-15T05:00:00Z', '2026-01-15T11:00:00Z'].map((t) =>
      given(null, t),
    );
    expect(checkFrequency(paracetamolPrn, four, { scheduledAt: null, effectiveAt: '2026-01-15T17:00:00Z', given: true }, utc).kind).toBe(
      'prn-daily-maximum',
    );
  });
});
