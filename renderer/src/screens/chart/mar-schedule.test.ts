import { describe, expect, it } from 'vitest';
import type { MarRowData } from '../../../../shared/contract/index.js';
import { isAsNeededDosage, marCells, marStateText, timesOfDay } from './mar-schedule.js';

const HOUR = 3_600_000;

function row(dosage: string | null, administrations: MarRowData['administrations'] = []): MarRowData {
  return {
    medication: {
      requestId: 'req-1',
      medication: 'Metformin XR',
      code: null,
      dosage,
      asNeeded: false,
      timesOfDay: [],
      status: 'active',
      authoredOn: '2026-03-01T08:00:00Z',
    },
    administrations,
  };
}

describe('timesOfDay', () => {
  it('reads the scheduled times from the order text', () => {
    expect(timesOfDay('500 mg oral twice daily at 08:00, 18:00')).toEqual(['08:00', '18:00']);
    expect(timesOfDay('5 mg oral once daily at 9:00')).toEqual(['09:00']);
    expect(timesOfDay('1 g oral every 6 hours as needed for pain')).toEqual([]);
    expect(timesOfDay(null)).toEqual([]);
  });
});

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
    const cells = marCells(row('500 mg oral twice daily at 08:00, 18:00', [given]), now - 24 * HOUR, now + 24 * HOUR, now);
    const byTime = cells.map((c) => [c.scheduledAt?.slice(0, 16), c.kind]);
    expect(byTime).toContainEqual(['2026-03-12T08:00', 'given']);
    expect(byTime).toContainEqual(['2026-03-12T18:00', 'not-recorded']);
    expect(byTime).toContainEqual(['2026-03-13T08:00', 'due']);
    expect(cells.filter((c) => c.scheduledAt?.startsWith('2026-03-12T08:00'))).toHaveLength(1);
    expect(cells.map((c) => Date.parse(c.scheduledAt!))).toEqual([...cells.map((c) => Date.parse(c.scheduledAt!))].sort((a, b) => a - b));
  });

  it('adds no due doses for an as-needed order', () => {
    const now = Date.parse('2026-03-12T12:00:00Z');
    expect(marCells(row('1 g oral every 6 hours as needed'), now - 24 * HOUR, now + 24 * HOUR, now)).toEqual([]);
  });

  it('says what each state means in words', () => {
    expect(marStateText('late')).toBe('Given late');
    expect(marStateText('held')).toBe('Held');
    expect(marStateText('due')).toBe('Due');
  });
});

describe('isAsNeededDosage', () => {
  it('tells an as-needed order from a scheduled one by its dosage text', () => {
    expect(isAsNeededDosage('650 mg orally every 6 hours as needed for pain (max 4 doses in 24 hours)')).toBe(true);
    expect(isAsNeededDosage('5 mg orally once daily at 18:00')).toBe(false);
    expect(isAsNeededDosage(null)).toBe(false);
  });
});
