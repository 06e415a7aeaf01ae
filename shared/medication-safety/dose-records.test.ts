import { describe, expect, it } from 'vitest';
import { doubleDoseAlert, doubleDoseNotice, doubleDoseSlots, sameSlot, slotsRecordedMoreThanOnce, standingDoses } from './dose-records.js';
import { checkFrequency, type WardClock } from './frequency-rule.js';
import { orderScheduleOf } from './order-schedule.js';
import type { MedicationRequest } from '../fhir/index.js';

const scheduled = { prn: false };
const dose = (id: string, state: string, scheduledAt: string | null) => ({ id, state, scheduledAt });

describe('which doses are in one slot', () => {
  it('two standing doses scheduled for one time are one slot recorded twice', () => {
    const doses = [
      dose('ward', 'late', '2026-12-07T18:00:00.000Z'),
      dose('hub', 'late', '2026-12-07T18:00:00Z'),
      dose('morning', 'given', '2026-12-07T08:00:00.000Z'),
    ];
    const slots = slotsRecordedMoreThanOnce(scheduled, doses);
    expect(slots).toEqual([{ scheduledAt: '2026-12-07T18:00:00.000Z', doses: [doses[0], doses[1]] }]);
  });

  it('a dose marked entered in error no longer holds its slot', () => {
    const doses = [dose('ward', 'late', '2026-12-07T18:00:00.000Z'), dose('hub', 'entered-in-error', '2026-12-07T18:00:00.000Z')];
    expect(slotsRecordedMoreThanOnce(scheduled, doses)).toEqual([]);
    expect(standingDoses(doses)).toEqual([doses[0]]);
  });

  it('a held dose beside a given one is still two records for the slot', () => {
    const doses = [dose('a', 'held', '2026-12-07T18:00:00.000Z'), dose('b', 'given', '2026-12-07T18:00:30.000Z')];
    expect(slotsRecordedMoreThanOnce(scheduled, doses).map((slot) => slot.doses.length)).toEqual([2]);
  });

  it('times a minute or more apart, as-needed doses and doses with no scheduled time fill no common slot', () => {
    expect(sameSlot('2026-12-07T18:00:00.000Z', '2026-12-07T18:01:00.000Z')).toBe(false);
    expect(sameSlot('2026-12-07T18:00:00.000Z', '2026-12-07T18:00:59.000Z')).toBe(true);
    expect(sameSlot(null, null)).toBe(false);
    const unscheduled = [dose('a', 'given', null), dose('b', 'given', null)];
    expect(slotsRecordedMoreThanOnce(scheduled, unscheduled)).toEqual([]);
    const twice = [dose('a', 'given', '2026-12-07T18:00:00.000Z'), dose('b', 'given', '2026-12-07T18:00:00.000Z')];
    expect(slotsRecordedMoreThanOnce({ prn: true }, twice)).toEqual([]);
  });

  it("the host's frequency check refuses a second dose by the same slot rule", () => {
    const utc: WardClock = {
      dayOf: (iso) => new Date(iso).toISOString().slice(0, 10),
      timesOfDayOf: (iso) => [new Date(iso).toISOString().slice(11, 16)],
    };
    const order = orderScheduleOf({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p' },
      dosageInstruction: [{ timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd', timeOfDay: ['08:00:00', '18:00:00'] } } }],
    } as MedicationRequest);
    const earlier = [{ scheduledAt: '2026-12-07T18:00:00.000Z', administeredAt: '2026-12-07T18:05:00.000Z', given: true }];
    const again = { scheduledAt: '2026-12-07T18:00:00.000Z', effectiveAt: '2026-12-07T19:00:00.000Z', given: true };
    expect(checkFrequency(order, earlier, again, utc).kind).toBe('already-recorded');
  });

  it('says how many doses, for which time, and what to do, in clinical words', () => {
    expect(doubleDoseAlert(2, '07 Dec, 18:00')).toBe(
      "2 doses recorded for this 07 Dec, 18:00 dose: check with the patient's physician; if one was recorded by mistake, mark it entered in error.",
    );
  });
});

describe('the doses recorded twice the census and the banner flag', () => {
  const now = Date.parse('2026-12-07T20:00:00.000Z');
  const order = (medication: string, doses: ReturnType<typeof dose>[], prn = false) => ({ medication, prn, doses });

  it('names each slot of the last and next day held by more than one standing dose, in time order', () => {
    const slots = doubleDoseSlots(
      [
        order('Enoxaparin 40 mg', [dose('a', 'late', '2026-12-07T18:00:00.000Z'), dose('b', 'given', '2026-12-07T18:00:00.000Z')]),
        order('Paracetamol 1 g', [
          dose('c', 'given', '2026-12-07T08:00:00.000Z'),
          dose('d', 'given', '2026-12-07T08:00:20.000Z'),
          dose('e', 'held', '2026-12-07T08:00:00.000Z'),
        ]),
      ],
      now,
    );
    expect(slots).toEqual([
      { medication: 'Paracetamol 1 g', scheduledAt: '2026-12-07T08:00:00.000Z', count: 3 },
      { medication: 'Enoxaparin 40 mg', scheduledAt: '2026-12-07T18:00:00.000Z', count: 2 },
    ]);
    expect(doubleDoseNotice('Enoxaparin 40 mg', 2, '07 Dec, 18:00')).toBe(
      `Dose recorded twice — Enoxaparin 40 mg: ${doubleDoseAlert(2, '07 Dec, 18:00')}`,
    );
  });

  it('leaves out a slot whose second dose was marked entered in error, an as-needed order and a slot more than a day away', () => {
    const twice = [dose('a', 'given', '2026-12-05T18:00:00.000Z'), dose('b', 'given', '2026-12-05T18:00:00.000Z')];
    expect(
      doubleDoseSlots(
        [
          order('Enoxaparin 40 mg', [
            dose('a', 'given', '2026-12-07T18:00:00.000Z'),
            dose('b', 'entered-in-error', '2026-12-07T18:00:00.000Z'),
          ]),
          order('Morphine 5 mg', [dose('c', 'given', '2026-12-07T18:00:00.000Z'), dose('d', 'given', '2026-12-07T18:00:00.000Z')], true),
          order('Aspirin 75 mg', twice),
        ],
        now,
      ),
    ).toEqual([]);
    expect(doubleDoseSlots([order('Aspirin 75 mg', twice)], Date.parse('2026-12-06T12:00:00.000Z'))).toHaveLength(1);
  });
});
