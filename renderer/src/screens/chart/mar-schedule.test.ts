import { describe, expect, it } from 'vitest';
import type { MarRowData } from '../../../../shared/contract/index.js';
import { marCells, marSlotAlerts, marStateText } from './mar-schedule.js';

const HOUR = 3_600_000;

function row(
  dosage: string | null,
  schedule: { asNeeded: boolean; timesOfDay: string[] },
  administrations: MarRowData['administrations'] = [],
): MarRowData {
  return {
    medication: {
      requestId: 'req-1',
      medication: 'Metformin XR',
      code: null,
      dosage,
      doseDays: { cycleDays: 1, offsets: [0], weekAligned: false, anchor: null },
      ...schedule,
      orderedDose: null,
      status: 'active',
      authoredOn: '2026-03-01T08:00:00Z',
    },
    administrations,
  };
}

describe('marCells', () => {
  it('adds the doses due without a record, and marks older ones as not recorded', () => {
    const given = {
      id: 'ma-1',
      state: 'given' as const,
      status: 'completed',
      scheduledAt: '2026-03-12T08:00:00Z',
      administeredAt: '2026-03-12T08:10:00Z',
      dose: '500 mg',
      reason: null,
      performer: 'Nurse A',
    };
    const now = Date.parse('2026-03-12T19:30:00Z');
    const order = row('500 mg oral twice daily', { asNeeded: false, timesOfDay: ['08:00', '18:00'] }, [given]);
    const cells = marCells(order, now - 24 * HOUR, now + 24 * HOUR, now);
    const byTime = cells.map((c) => [c.scheduledAt?.slice(0, 16), c.kind]);
    expect(byTime).toContainEqual(['2026-03-12T08:00', 'given']);
    expect(byTime).toContainEqual(['2026-03-12T18:00', 'not-recorded']);
    expect(byTime).toContainEqual(['2026-03-13T08:00', 'due']);
    expect(cells.filter((c) => c.scheduledAt?.startsWith('2026-03-12T08:00'))).toHaveLength(1);
    expect(cells.map((c) => Date.parse(c.scheduledAt!))).toEqual([...cells.map((c) => Date.parse(c.scheduledAt!))].sort((a, b) => a - b));
  });

  it('reads the schedule from the structured order, never from its text', () => {
    const now = Date.parse('2026-03-12T12:00:00Z');
    // The text says "at 08:00" and "as needed"; the structured order says scheduled at 21:00.
    const cells = marCells(
      row('1 g at 08:00 as needed', { asNeeded: false, timesOfDay: ['21:00'] }),
      now - 12 * HOUR,
      now + 12 * HOUR,
      now,
    );
    expect(cells.map((c) => new Date(c.scheduledAt!).getHours())).toEqual([21]);
  });

  it('adds no due doses for an as-needed order, whatever its text says', () => {
    const now = Date.parse('2026-03-12T12:00:00Z');
    expect(marCells(row('1 g oral at 08:00, 20:00', { asNeeded: true, timesOfDay: [] }), now - 24 * HOUR, now + 24 * HOUR, now)).toEqual(
      [],
    );
  });

  it('says what each state means in words', () => {
    expect(marStateText('late')).toBe('Given late');
    expect(marStateText('held')).toBe('Held');
    expect(marStateText('due')).toBe('Due');
  });
});

describe('marSlotAlerts', () => {
  const dose = (id: string, state: 'late' | 'entered-in-error', scheduledAt: string) => ({
    id,
    state,
    status: state === 'late' ? 'completed' : 'entered-in-error',
    scheduledAt,
    administeredAt: '2026-03-12T19:10:00Z',
    dose: '40 mg',
    reason: null,
    performer: 'Nurse A',
  });
  const from = Date.parse('2026-03-12T00:00:00Z');
  const to = Date.parse('2026-03-13T00:00:00Z');

  it('flags a slot held by two doses, once, with the slot in its words', () => {
    const twice = row('40 mg once daily', { asNeeded: false, timesOfDay: ['18:00'] }, [
      dose('a', 'late', '2026-03-12T18:00:00Z'),
      dose('b', 'late', '2026-03-12T18:00:00Z'),
    ]);
    const alerts = marSlotAlerts(twice, from, to);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toMatch(
      /^2 doses recorded for this .+ dose: check with the patient's physician; if one was recorded by mistake/,
    );
  });

  it('does not flag a slot once one of its doses is marked entered in error, nor a slot outside the period', () => {
    const corrected = row('40 mg once daily', { asNeeded: false, timesOfDay: ['18:00'] }, [
      dose('a', 'late', '2026-03-12T18:00:00Z'),
      dose('b', 'entered-in-error', '2026-03-12T18:00:00Z'),
    ]);
    expect(marSlotAlerts(corrected, from, to)).toEqual([]);
    const earlier = row('40 mg once daily', { asNeeded: false, timesOfDay: ['18:00'] }, [
      dose('a', 'late', '2026-03-10T18:00:00Z'),
      dose('b', 'late', '2026-03-10T18:00:00Z'),
    ]);
    expect(marSlotAlerts(earlier, from, to)).toEqual([]);
  });
});
