import { describe, expect, it } from 'vitest';
import type { Dosage, MedicationRequest, Timing } from '../fhir/index.js';
import { slotsBetween, unrecordedSlots, zoneDayOf } from './dose-slots.js';
import { checkFrequency, type WardClock } from './frequency-rule.js';
import { orderScheduleOf } from './order-schedule.js';

type Repeat = NonNullable<Timing['repeat']>;

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

function order(repeat: Repeat, authoredOn = '2026-03-01T10:00:00Z', extra: Partial<Dosage> = {}): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p' },
    authoredOn,
    dosageInstruction: [{ timing: { repeat }, doseAndRate: [{ doseQuantity: { value: 15, unit: 'mg', code: 'mg' } }], ...extra }],
  };
}

/** The order's slots in [from, to) in `zone`, as ISO instants (its start and anchor as the order says). */
function slots(request: MedicationRequest, from: string, to: string, zone = 'UTC'): string[] {
  const schedule = orderScheduleOf(request);
  return unrecordedSlots(
    {
      prn: schedule.prn,
      timesOfDay: schedule.timesOfDay,
      doseDays: schedule.doseDays,
      startsAt: request.authoredOn ?? null,
      recorded: [],
    },
    Date.parse(from),
    Date.parse(to),
    zone,
  ).map(iso);
}

// 2026-03-02 is a Monday; Europe/Berlin goes to summer time on Sunday 2026-03-29.
const WEEKLY_MONDAY: Repeat = { frequency: 1, period: 1, periodUnit: 'wk', dayOfWeek: ['mon'], timeOfDay: ['08:00:00'] };

describe('the dose days of an order that repeats over more than a day', () => {
  it('reads a weekly order: one dose day a week, counted in weeks from Monday, anchored at boundsPeriod.start', () => {
    const schedule = orderScheduleOf(order({ ...WEEKLY_MONDAY, boundsPeriod: { start: '2026-03-04' } }));
    expect(schedule).toMatchObject({
      prn: false,
      timesOfDay: ['08:00'],
      dosesPerDay: 1,
      doseDays: { cycleDays: 7, offsets: [0], weekAligned: true, anchor: '2026-03-04' },
    });
    // Without boundsPeriod, the order's authoredOn is the anchor.
    expect(orderScheduleOf(order(WEEKLY_MONDAY)).doseDays.anchor).toBe('2026-03-01T10:00:00Z');
  });

  it('lays a weekly dose on its weekday only, across week boundaries', () => {
    expect(slots(order(WEEKLY_MONDAY), '2026-03-04T00:00:00Z', '2026-03-25T00:00:00Z')).toEqual([
      '2026-03-09T08:00:00.000Z',
      '2026-03-16T08:00:00.000Z',
      '2026-03-23T08:00:00.000Z',
    ]);
    // A ±24 hour MAR window on a Sunday holds Monday's dose; one on a Wednesday holds none.
    expect(slots(order(WEEKLY_MONDAY), '2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z')).toEqual(['2026-03-09T08:00:00.000Z']);
    expect(slots(order(WEEKLY_MONDAY), '2026-03-10T12:00:00Z', '2026-03-12T12:00:00Z')).toEqual([]);
  });

  it('lays "1 per 1 wk" with no weekday on the anchor weekday, and several weekdays each week', () => {
    const thursdays = order({ frequency: 1, period: 1, periodUnit: 'wk', boundsPeriod: { start: '2026-03-05' } });
    expect(slots(thursdays, '2026-03-01T00:00:00Z', '2026-03-22T00:00:00Z')).toEqual([
      '2026-03-05T08:00:00.000Z',
      '2026-03-12T08:00:00.000Z',
      '2026-03-19T08:00:00.000Z',
    ]);
    const monThu = order({ frequency: 2, period: 1, periodUnit: 'wk', dayOfWeek: ['thu', 'mon'], timeOfDay: ['09:00:00'] });
    expect(slots(monThu, '2026-03-02T00:00:00Z', '2026-03-13T00:00:00Z')).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-05T09:00:00.000Z',
      '2026-03-09T09:00:00.000Z',
      '2026-03-12T09:00:00.000Z',
    ]);
    // Three times a week with no weekday: spread over the week from the anchor (Mon, Wed, Fri).
    const threeAWeek = order({ frequency: 3, period: 1, periodUnit: 'wk', boundsPeriod: { start: '2026-03-02' } });
    expect(slots(threeAWeek, '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z').map((s) => s.slice(0, 10))).toEqual([
      '2026-03-02',
      '2026-03-04',
      '2026-03-06',
    ]);
  });

  it('lays every other day from the order start, across a week boundary, never before the start', () => {
    const everyOtherDay = order({ frequency: 1, period: 2, periodUnit: 'd', timeOfDay: ['09:00:00'] });
    expect(orderScheduleOf(everyOtherDay)).toMatchObject({ dosesPerDay: 1, doseDays: { cycleDays: 2, offsets: [0], weekAligned: false } });
    // The order starts Sunday 1 March at 10:00: that day's 09:00 is before it.
    expect(slots(everyOtherDay, '2026-03-01T00:00:00Z', '2026-03-06T00:00:00Z')).toEqual([
      '2026-03-03T09:00:00.000Z',
      '2026-03-05T09:00:00.000Z',
    ]);
    // Friday to the next Thursday: Saturday, Monday, Wednesday.
    expect(slots(everyOtherDay, '2026-03-06T00:00:00Z', '2026-03-12T00:00:00Z')).toEqual([
      '2026-03-07T09:00:00.000Z',
      '2026-03-09T09:00:00.000Z',
      '2026-03-11T09:00:00.000Z',
    ]);
  });

  it('lays every other week on the weekday, counting weeks from the anchor week', () => {
    const fortnightly = order({ ...WEEKLY_MONDAY, period: 2, boundsPeriod: { start: '2026-03-04' } });
    // The anchor's week starts Monday 2 March (before the start: no dose); then 16 and 30 March.
    expect(slots(fortnightly, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual([
      '2026-03-16T08:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
    ]);
  });

  it("stays at the same ward time across a daylight-saving change, on the ward's calendar", () => {
    const sundays = order({ ...WEEKLY_MONDAY, dayOfWeek: ['sun'] }, '2026-03-10T10:00:00Z');
    // 08:00 in Berlin: 07:00 UTC in winter, 06:00 UTC from 29 March.
    expect(slots(sundays, '2026-03-14T00:00:00Z', '2026-04-06T00:00:00Z', 'Europe/Berlin')).toEqual([
      '2026-03-15T07:00:00.000Z',
      '2026-03-22T07:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
      '2026-04-05T06:00:00.000Z',
    ]);
    const everyOtherDay = order({ frequency: 1, period: 2, periodUnit: 'd', timeOfDay: ['08:00:00'] }, '2026-03-26T20:00:00Z');
    expect(slots(everyOtherDay, '2026-03-26T00:00:00Z', '2026-04-01T00:00:00Z', 'Europe/Berlin')).toEqual([
      '2026-03-28T07:00:00.000Z',
      '2026-03-30T06:00:00.000Z',
    ]);
    // The anchor is a day of the ward's calendar: 23:30 UTC on Sunday is Monday 00:30 in Berlin.
    const fromMondayInBerlin = order({ frequency: 1, period: 1, periodUnit: 'wk', timeOfDay: ['10:00:00'] }, '2026-03-01T23:30:00Z');
    expect(zoneDayOf('2026-03-01T23:30:00Z', 'Europe/Berlin')).toBe('2026-03-02');
    expect(slots(fromMondayInBerlin, '2026-03-02T00:00:00Z', '2026-03-17T00:00:00Z', 'Europe/Berlin')).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-09T09:00:00.000Z',
      '2026-03-16T09:00:00.000Z',
    ]);
    expect(slots(fromMondayInBerlin, '2026-03-02T00:00:00Z', '2026-03-17T00:00:00Z', 'UTC').map((s) => s.slice(0, 10))).toEqual([
      '2026-03-08',
      '2026-03-15',
    ]);
  });

  it('keeps the daily orders as they were: every day at their times', () => {
    expect(slotsBetween(['08:00'], Date.parse('2026-03-02T00:00:00Z'), Date.parse('2026-03-02T00:00:00Z') + 3 * DAY, 'UTC').length).toBe(3);
    expect(orderScheduleOf(order({ frequency: 2, period: 1, periodUnit: 'd' })).doseDays).toMatchObject({ cycleDays: 1, offsets: [0] });
    // Fourteen a week is twice a day.
    expect(orderScheduleOf(order({ frequency: 14, period: 1, periodUnit: 'wk' }))).toMatchObject({
      timesOfDay: ['08:00', '20:00'],
      doseDays: { cycleDays: 1 },
    });
  });
});

describe('the frequency rule of an order that repeats over more than a day', () => {
  const utc: WardClock = { dayOf: (at) => zoneDayOf(at, 'UTC'), timesOfDayOf: (at) => [at.slice(11, 16)] };
  const methotrexate = orderScheduleOf(order(WEEKLY_MONDAY));
  const monday = '2026-03-09T08:00:00.000Z';
  const givenMonday = { scheduledAt: monday, administeredAt: '2026-03-09T08:10:00.000Z', given: true };

  it("refuses a second dose in the same week, whatever its slot, and a dose on a day that is not the order's", () => {
    expect(checkFrequency(methotrexate, [], { scheduledAt: monday, effectiveAt: '2026-03-09T08:05:00Z', given: true }, utc).kind).toBe(
      'ok',
    );
    expect(
      checkFrequency(methotrexate, [givenMonday], { scheduledAt: monday, effectiveAt: '2026-03-09T09:00:00Z', given: true }, utc).kind,
    ).toBe('already-recorded');
    // Tuesday 08:00 is the right time of day on the wrong day.
    expect(
      checkFrequency(
        methotrexate,
        [givenMonday],
        { scheduledAt: '2026-03-10T08:00:00Z', effectiveAt: '2026-03-10T08:00:00Z', given: true },
        utc,
      ).kind,
    ).toBe('not-a-scheduled-time');
    // A dose recorded without a slot on the Tuesday before fills that week's dose: Monday's is extra.
    const unscheduledTuesday = { scheduledAt: null, administeredAt: '2026-03-10T12:00:00Z', given: true };
    expect(
      checkFrequency(
        methotrexate,
        [unscheduledTuesday],
        { scheduledAt: '2026-03-09T08:00:00Z', effectiveAt: '2026-03-09T08:00:00Z', given: true },
        utc,
      ).kind,
    ).toBe('beyond-frequency');
    expect(
      checkFrequency(methotrexate, [givenMonday], { scheduledAt: null, effectiveAt: '2026-03-11T08:00:00Z', given: true }, utc).kind,
    ).toBe('unscheduled-extra');
  });

  it("lets next week's dose through next week, but not given this week on top of this week's", () => {
    const nextMonday = { scheduledAt: '2026-03-16T08:00:00Z', effectiveAt: '2026-03-16T08:00:00Z', given: true };
    expect(checkFrequency(methotrexate, [givenMonday], nextMonday, utc).kind).toBe('ok');
    // Given on Sunday the 15th (still this week, Monday to Sunday): an extra dose this week.
    expect(checkFrequency(methotrexate, [givenMonday], { ...nextMonday, effectiveAt: '2026-03-15T20:00:00Z' }, utc).kind).toBe(
      'beyond-frequency',
    );
    // Held this week: next week's may be given early (the time rule asks why).
    expect(
      checkFrequency(methotrexate, [{ ...givenMonday, given: false }], { ...nextMonday, effectiveAt: '2026-03-15T20:00:00Z' }, utc).kind,
    ).toBe('ok');
  });

  it('counts every other day in two-day cycles from the order start', () => {
    const everyOtherDay = orderScheduleOf(order({ frequency: 1, period: 2, periodUnit: 'd', timeOfDay: ['09:00:00'] }));
    const third = { scheduledAt: '2026-03-03T09:00:00Z', administeredAt: '2026-03-03T09:00:00Z', given: true };
    const fifth = { scheduledAt: '2026-03-05T09:00:00Z', effectiveAt: '2026-03-05T09:00:00Z', given: true };
    expect(checkFrequency(everyOtherDay, [third], fifth, utc).kind).toBe('ok');
    expect(checkFrequency(everyOtherDay, [third], { ...fifth, scheduledAt: '2026-03-04T09:00:00Z' }, utc).kind).toBe(
      'not-a-scheduled-time',
    );
    // The 5th's dose given on the 4th, the day after the 3rd's: an extra dose in the 3rd's cycle.
    expect(checkFrequency(everyOtherDay, [third], { ...fifth, effectiveAt: '2026-03-04T18:00:00Z' }, utc).kind).toBe('beyond-frequency');
  });
});

describe('the last day of an order (Timing.repeat.boundsPeriod.end)', () => {
  const utc: WardClock = { dayOf: (at) => zoneDayOf(at, 'UTC'), timesOfDayOf: (at) => [at.slice(11, 16)] };
  const twiceDaily: Repeat = { frequency: 2, period: 1, periodUnit: 'd', timeOfDay: ['08:00:00', '20:00:00'] };

  it('lays no dose after a date end: that whole day is the last', () => {
    const toThursday = order({ ...twiceDaily, boundsPeriod: { start: '2026-03-02', end: '2026-03-04' } });
    expect(slots(toThursday, '2026-03-03T00:00:00Z', '2026-03-07T00:00:00Z')).toEqual([
      '2026-03-03T08:00:00.000Z',
      '2026-03-03T20:00:00.000Z',
      '2026-03-04T08:00:00.000Z',
      '2026-03-04T20:00:00.000Z',
    ]);
    const weekly = order({ ...WEEKLY_MONDAY, boundsPeriod: { start: '2026-03-02', end: '2026-03-15' } });
    expect(slots(weekly, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual(['2026-03-02T08:00:00.000Z', '2026-03-09T08:00:00.000Z']);
  });

  it('ends at the moment an instant end names', () => {
    const toNoon = order({ ...twiceDaily, boundsPeriod: { start: '2026-03-02', end: '2026-03-04T12:00:00Z' } });
    expect(slots(toNoon, '2026-03-04T00:00:00Z', '2026-03-06T00:00:00Z')).toEqual(['2026-03-04T08:00:00.000Z']);
  });

  it('refuses a dose recorded against a slot after the end, and lets the last one through', () => {
    const schedule = orderScheduleOf(order({ ...twiceDaily, boundsPeriod: { start: '2026-03-02', end: '2026-03-04' } }));
    const at = (iso: string) => ({ scheduledAt: iso, effectiveAt: iso, given: true });
    expect(checkFrequency(schedule, [], at('2026-03-04T20:00:00Z'), utc).kind).toBe('ok');
    expect(checkFrequency(schedule, [], at('2026-03-05T08:00:00Z'), utc).kind).toBe('not-a-scheduled-time');
    expect(orderScheduleOf(order(twiceDaily)).doseDays.until).toBeNull();
  });
});

describe('an order that repeats every month or year (Timing.repeat.periodUnit mo or a)', () => {
  const utc: WardClock = { dayOf: (at) => zoneDayOf(at, 'UTC'), timesOfDayOf: (at) => [at.slice(11, 16)] };
  const monthly = (start: string | undefined, extra: Partial<Repeat> = {}): MedicationRequest =>
    order(
      { frequency: 1, period: 1, periodUnit: 'mo', timeOfDay: ['10:00:00'], ...(start ? { boundsPeriod: { start } } : {}), ...extra },
      '2020-01-01T00:00:00Z',
    );

  it('lays a monthly B12 injection on the anchor day of each month, one dose a month', () => {
    const b12 = monthly('2026-01-15');
    expect(orderScheduleOf(b12)).toMatchObject({
      timesOfDay: ['10:00'],
      dosesPerDay: 1,
      doseDays: { cycleMonths: 1, anchor: '2026-01-15' },
    });
    expect(slots(b12, '2026-01-01T00:00:00Z', '2026-05-01T00:00:00Z')).toEqual([
      '2026-01-15T10:00:00.000Z',
      '2026-02-15T10:00:00.000Z',
      '2026-03-15T10:00:00.000Z',
      '2026-04-15T10:00:00.000Z',
    ]);
    // Without boundsPeriod the order's authoredOn (1 March, 10:00) is the anchor, with no time named
    // the morning round: 1 March 08:00 came before the order, so April's is its first dose.
    expect(slots(order({ frequency: 1, period: 1, periodUnit: 'mo' }), '2026-02-01T00:00:00Z', '2026-06-01T00:00:00Z')).toEqual([
      '2026-04-01T08:00:00.000Z',
      '2026-05-01T08:00:00.000Z',
    ]);
  });

  it("falls on the month's last day when the anchor's day is past it, and returns to the anchor's day after", () => {
    expect(slots(monthly('2026-01-31'), '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z')).toEqual([
      '2026-01-31T10:00:00.000Z',
      '2026-02-28T10:00:00.000Z',
      '2026-03-31T10:00:00.000Z',
      '2026-04-30T10:00:00.000Z',
      '2026-05-31T10:00:00.000Z',
    ]);
    // A leap year's February has its 29th; every three months from 31 January: 30 April, 31 July.
    expect(slots(monthly('2028-01-31'), '2028-02-01T00:00:00Z', '2028-03-02T00:00:00Z')).toEqual(['2028-02-29T10:00:00.000Z']);
    expect(slots(monthly('2026-01-31', { period: 3 }), '2026-01-01T00:00:00Z', '2026-12-01T00:00:00Z')).toEqual([
      '2026-01-31T10:00:00.000Z',
      '2026-04-30T10:00:00.000Z',
      '2026-07-31T10:00:00.000Z',
      '2026-10-31T10:00:00.000Z',
    ]);
  });

  it('lays a yearly order on its date, and on 28 February in a common year when anchored on the 29th', () => {
    const yearly = order(
      { frequency: 1, period: 1, periodUnit: 'a', timeOfDay: ['09:00:00'], boundsPeriod: { start: '2024-02-29' } },
      '2024-02-20T00:00:00Z',
    );
    expect(slots(yearly, '2024-01-01T00:00:00Z', '2029-01-01T00:00:00Z')).toEqual([
      '2024-02-29T09:00:00.000Z',
      '2025-02-28T09:00:00.000Z',
      '2026-02-28T09:00:00.000Z',
      '2027-02-28T09:00:00.000Z',
      '2028-02-29T09:00:00.000Z',
    ]);
  });

  it("counts an instant anchor on the ward's calendar and keeps the ward time across a daylight-saving change", () => {
    // 23:30 UTC on 31 March is 1 April in Berlin: the 1st of each month at 08:00 Berlin time (UTC+1 in winter, +2 in summer).
    const fromAuthored = order({ frequency: 1, period: 1, periodUnit: 'mo', timeOfDay: ['08:00:00'] }, '2026-02-28T23:30:00Z');
    expect(slots(fromAuthored, '2026-02-28T23:30:00Z', '2026-05-02T00:00:00Z', 'Europe/Berlin')).toEqual([
      '2026-03-01T07:00:00.000Z',
      '2026-04-01T06:00:00.000Z',
      '2026-05-01T06:00:00.000Z',
    ]);
  });

  it('lays no slots for several doses a month, weekdays in a month, or no anchor; none after the end', () => {
    expect(slots(monthly('2026-01-15', { frequency: 2 }), '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')).toEqual([]);
    expect(slots(monthly('2026-01-15', { dayOfWeek: ['mon'] }), '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')).toEqual([]);
    const noAnchor = { ...monthly(undefined), authoredOn: undefined };
    expect(slots(noAnchor, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')).toEqual([]);
    const ended = monthly(undefined, { boundsPeriod: { start: '2026-01-15', end: '2026-03-14' } });
    expect(slots(ended, '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z')).toEqual(['2026-01-15T10:00:00.000Z', '2026-02-15T10:00:00.000Z']);
  });

  it("refuses an extra dose in the same month, counted from dose day to dose day, and lets next month's through", () => {
    const b12 = orderScheduleOf(monthly('2026-01-31'));
    const january = { scheduledAt: '2026-01-31T10:00:00Z', administeredAt: '2026-01-31T10:05:00Z', given: true };
    const at = (scheduledAt: string | null, effectiveAt: string) => ({ scheduledAt, effectiveAt, given: true });
    expect(checkFrequency(b12, [], at('2026-01-31T10:00:00Z', '2026-01-31T10:05:00Z'), utc).kind).toBe('ok');
    expect(checkFrequency(b12, [january], at('2026-01-31T10:00:00Z', '2026-01-31T11:00:00Z'), utc).kind).toBe('already-recorded');
    // 1 March and 30 January are not dose days; an unscheduled dose is an extra one.
    expect(checkFrequency(b12, [january], at('2026-03-01T10:00:00Z', '2026-03-01T10:00:00Z'), utc).kind).toBe('not-a-scheduled-time');
    expect(checkFrequency(b12, [], at('2026-01-30T10:00:00Z', '2026-01-30T10:00:00Z'), utc).kind).toBe('not-a-scheduled-time');
    expect(checkFrequency(b12, [january], at(null, '2026-02-10T10:00:00Z'), utc).kind).toBe('unscheduled-extra');
    // February's dose (the 28th) on the 28th: a new cycle.
    const february = at('2026-02-28T10:00:00Z', '2026-02-28T10:00:00Z');
    expect(checkFrequency(b12, [january], february, utc).kind).toBe('ok');
    // Given on 20 February, still January's cycle, on top of January's dose: extra.
    expect(checkFrequency(b12, [january], { ...february, effectiveAt: '2026-02-20T10:00:00Z' }, utc).kind).toBe('beyond-frequency');
    // An unscheduled dose recorded on 5 March falls in February's cycle (28 Feb – 30 Mar): February's slot is extra.
    const unscheduledMarch = { scheduledAt: null, administeredAt: '2026-03-05T10:00:00Z', given: true };
    expect(checkFrequency(b12, [january, unscheduledMarch], february, utc).kind).toBe('beyond-frequency');
    // ...but March's own dose on the 31st is in the next cycle.
    expect(checkFrequency(b12, [january, unscheduledMarch], at('2026-03-31T10:00:00Z', '2026-03-31T10:00:00Z'), utc).kind).toBe('ok');
  });
});
