import { describe, expect, it } from 'vitest';
import { INSTANT_PATTERN } from '../fhir/index.js';
import {
  formatCalendarDate,
  formatTick,
  formatDateTime,
  formatRecentTime,
  instantMs,
  fromLocalInputValue,
  instantOf,
  localInputValue,
  windowAround,
} from './clinical-time.js';

describe('chart times', () => {
  it('shows a birth date as written, whatever the time zone', () => {
    expect(formatCalendarDate('1978-03-12')).toBe('12 Mar 1978');
    expect(formatCalendarDate('1978')).toBe('1978');
    expect(formatCalendarDate(null)).toBe('—');
  });

  it('labels plot ticks with the hour within a day and the day otherwise', () => {
    expect(formatTick(new Date(2026, 2, 12, 18, 0).getTime(), 24 * 3_600_000)).toBe('18:00');
    expect(formatTick(new Date(2026, 2, 13, 0, 0).getTime(), 24 * 3_600_000)).toBe('13 Mar');
    expect(formatTick(new Date(2026, 2, 13, 0, 0).getTime(), 7 * 24 * 3_600_000)).toBe('13 Mar');
  });

  it('shows a dash for an unknown time rather than "Invalid Date"', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('garbage')).toBe('—');
  });

  it('sends windows as instants the host accepts', () => {
    const { from, to } = windowAround(new Date('2026-03-12T12:00:00Z'), 3_600_000, 7_200_000);
    expect(from).toBe('2026-03-12T11:00:00.000Z');
    expect(to).toBe('2026-03-12T14:00:00.000Z');
    expect(INSTANT_PATTERN.test(instantOf(new Date()))).toBe(true);
  });

  it('round-trips a datetime-local field value and refuses impossible dates', () => {
    const date = new Date(2026, 2, 12, 14, 5);
    expect(localInputValue(date)).toBe('2026-03-12T14:05');
    expect(fromLocalInputValue('2026-03-12T14:05')?.getTime()).toBe(date.getTime());
    expect(fromLocalInputValue('2026-02-31T10:00')).toBeNull();
    expect(fromLocalInputValue('')).toBeNull();
  });

  it('shows how recent a time is: the clock today, the day and clock on another day', () => {
    const now = new Date(2025, 2, 14, 15, 0, 0);
    expect(formatRecentTime(new Date(2025, 2, 14, 10, 42).toISOString(), now)).toBe('10:42');
    expect(formatRecentTime(new Date(2025, 2, 12, 9, 5).getTime(), now)).toBe('12 Mar, 09:05');
    expect(formatRecentTime(new Date(2025, 2, 13, 23, 59).toISOString(), now)).toBe('13 Mar, 23:59');
    expect(formatRecentTime('garbage', now)).toBe('—');
    expect(formatRecentTime(null, now)).toBe('—');
  });

  it('reads an instant as epoch milliseconds, null when unreadable', () => {
    expect(instantMs('2025-03-14T10:42:00Z')).toBe(Date.UTC(2025, 2, 14, 10, 42));
    expect(instantMs('garbage')).toBeNull();
    expect(instantMs(null)).toBeNull();
  });
});
