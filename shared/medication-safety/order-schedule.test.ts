import { describe, expect, it } from 'vitest';
import type { Dosage, MedicationRequest } from '../fhir/index.js';
import { orderScheduleOf, scheduledTimesOfDay } from './order-schedule.js';
import { EVERY_DAY } from './dose-days.js';
import { slotsBetween, unrecordedSlots } from './dose-slots.js';

function order(dosage: Dosage): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p' },
    dosageInstruction: [dosage],
  };
}

describe("an order's schedule, from its structured dosage", () => {
  it('takes PRN from asNeeded[x], never from the dosage text', () => {
    expect(orderScheduleOf(order({ text: '1 g as needed for pain', timing: { repeat: { timeOfDay: ['08:00:00'] } } })).prn).toBe(false);
    expect(orderScheduleOf(order({ text: '1 g every 6 hours', asNeededBoolean: true })).prn).toBe(true);
    expect(orderScheduleOf(order({ asNeededCodeableConcept: { text: 'Pain' } })).prn).toBe(true);
    expect(orderScheduleOf(order({ asNeededBoolean: true, timing: { repeat: { timeOfDay: ['08:00:00'] } } })).timesOfDay).toEqual([]);
  });

  it('reads the times of day, else the when events, else the frequency at the standard rounds', () => {
    expect(scheduledTimesOfDay({ timeOfDay: ['20:00:00', '08:00:00'] })).toEqual(['08:00', '20:00']);
    expect(scheduledTimesOfDay({ when: ['MORN', 'HS'] })).toEqual(['08:00', '22:00']);
    expect(scheduledTimesOfDay({ when: ['C'] })).toEqual(['08:00', '12:00', '18:00']);
    expect(scheduledTimesOfDay({ frequency: 2, period: 1, periodUnit: 'd' })).toEqual(['08:00', '20:00']);
    expect(scheduledTimesOfDay({ frequency: 1, period: 8, periodUnit: 'h' })).toEqual(['06:00', '14:00', '22:00']);
    expect(scheduledTimesOfDay({ frequency: 1, period: 6, periodUnit: 'h' })).toEqual(['00:00', '06:00', '12:00', '18:00']);
    // Every other day or once a week: the morning round on each dose day (dose-days.test.ts).
    expect(scheduledTimesOfDay({ frequency: 1, period: 2, periodUnit: 'd' })).toEqual(['08:00']);
    expect(scheduledTimesOfDay({ frequency: 1, period: 1, periodUnit: 'wk' })).toEqual(['08:00']);
    // Once a month or a year: its clock time, else the morning round, on its one dose day (dose-days.test.ts).
    expect(scheduledTimesOfDay({ frequency: 1, period: 1, periodUnit: 'mo' })).toEqual(['08:00']);
    expect(scheduledTimesOfDay({ frequency: 1, period: 1, periodUnit: 'a', timeOfDay: ['10:30:00'] })).toEqual(['10:30']);
    // An interval that does not divide the day, or several doses a month: no time to lay out.
    expect(scheduledTimesOfDay({ frequency: 1, period: 7, periodUnit: 'h' })).toEqual([]);
    // Even with a clock time: twice a month has no whole dose days, and is never laid out every day.
    expect(scheduledTimesOfDay({ frequency: 2, period: 1, periodUnit: 'mo', timeOfDay: ['08:00:00'] })).toEqual([]);
    expect(scheduledTimesOfDay({ frequency: 3, period: 2, periodUnit: 'd', timeOfDay: ['08:00:00'] })).toEqual([]);
    expect(scheduledTimesOfDay(undefined)).toEqual([]);
  });

  it('counts the doses a day of a scheduled order', () => {
    expect(orderScheduleOf(order({ timing: { repeat: { frequency: 3, period: 1, periodUnit: 'd' } } })).dosesPerDay).toBe(3);
    expect(orderScheduleOf(order({ timing: { repeat: { when: ['MORN', 'EVE'] } } })).dosesPerDay).toBe(2);
  });
});

describe('the dose slots of an order', () => {
  const HOUR = 3_600_000;
  const from = Date.parse('2026-03-12T00:00:00Z');

  it('lays the times of day on the zone given, across the window', () => {
    expect(slotsBetween(['08:00', '20:00'], from, from + 24 * HOUR, 'UTC').map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-03-12T08:00:00.000Z',
      '2026-03-12T20:00:00.000Z',
    ]);
    // 08:00 in Berlin (UTC+1 in March before the change) is 07:00 UTC.
    expect(slotsBetween(['08:00'], from, from + 24 * HOUR, 'Europe/Berlin').map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-03-12T07:00:00.000Z',
    ]);
  });

  it('leaves out the doses already recorded, those before the order starts, and every slot of a PRN order', () => {
    const scheduled = {
      prn: false,
      timesOfDay: ['08:00', '20:00'],
      doseDays: EVERY_DAY,
      startsAt: '2026-03-12T09:00:00Z',
      recorded: [],
    };
    expect(unrecordedSlots(scheduled, from, from + 48 * HOUR, 'UTC').map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-03-12T20:00:00.000Z',
      '2026-03-13T08:00:00.000Z',
      '2026-03-13T20:00:00.000Z',
    ]);
    expect(
      unrecordedSlots(
        {
          ...scheduled,
          recorded: [
            { state: 'given', scheduledAt: '2026-03-13T08:00:00Z' },
            { state: 'given', scheduledAt: null },
          ],
        },
        from,
        from + 48 * HOUR,
        'UTC',
      ).length,
    ).toBe(2);
    expect(unrecordedSlots({ ...scheduled, prn: true }, from, from + 48 * HOUR, 'UTC')).toEqual([]);
  });

  it('keeps a slot due whose only record was marked entered in error; a held or given dose still records it', () => {
    const scheduled = { prn: false, timesOfDay: ['08:00'], doseDays: EVERY_DAY, startsAt: null };
    const slotsWith = (...states: string[]): string[] =>
      unrecordedSlots(
        { ...scheduled, recorded: states.map((state) => ({ state, scheduledAt: '2026-03-12T08:00:00Z' })) },
        from,
        from + 24 * HOUR,
        'UTC',
      ).map((ms) => new Date(ms).toISOString());
    expect(slotsWith('entered-in-error')).toEqual(['2026-03-12T08:00:00.000Z']);
    expect(slotsWith('given')).toEqual([]);
    expect(slotsWith('held')).toEqual([]);
    // Retracted, then the right dose recorded: the slot is recorded.
    expect(slotsWith('entered-in-error', 'late')).toEqual([]);
  });

  it('reads the times as UTC when the recorded doses sit on them in UTC and not in the ward zone', () => {
    const utcFed = {
      prn: false,
      timesOfDay: ['08:00'],
      doseDays: EVERY_DAY,
      startsAt: null,
      recorded: [{ state: 'given', scheduledAt: '2026-03-11T08:00:00Z' }],
    };
    expect(unrecordedSlots(utcFed, from, from + 24 * HOUR, 'Europe/Berlin').map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-03-12T08:00:00.000Z',
    ]);
  });
});
