import { describe, expect, it } from 'vitest';
import { needsTimingReason, timingOf } from './time-rule.js';

const WINDOW = 60 * 60_000;
const at = (scheduledAt: string | null, effectiveAt: string, given = true) => timingOf({ scheduledAt, effectiveAt, given }, WINDOW);

describe('the time rule', () => {
  it('counts a dose within the window either side of its time as on time', () => {
    expect(at('2026-01-15T18:00:00Z', '2026-01-15T17:00:00Z')).toBe('on-time');
    expect(at('2026-01-15T18:00:00Z', '2026-01-15T19:00:00Z')).toBe('on-time');
  });

  it('marks an 18:00 dose given at 13:25 early, and one given at 19:01 late; both need a reason', () => {
    expect(at('2026-01-15T18:00:00Z', '2026-01-15T13:25:00Z')).toBe('early');
    expect(at('2026-01-15T18:00:00Z', '2026-01-15T19:01:00Z')).toBe('late');
    expect(needsTimingReason('early')).toBe(true);
    expect(needsTimingReason('late')).toBe(true);
    expect(needsTimingReason('on-time')).toBe(false);
  });

  it("marks tomorrow's dose recorded today early, never on time", () => {
    expect(at('2026-01-16T09:00:00Z', '2026-01-15T09:00:00Z')).toBe('early');
  });

  it('marks a dose not given outside its window omitted, and an as-needed dose unscheduled', () => {
    expect(at('2026-01-15T09:00:00Z', '2026-01-15T12:00:00Z', false)).toBe('omitted');
    expect(at('2026-01-15T09:00:00Z', '2026-01-15T09:10:00Z', false)).toBe('on-time');
    expect(at(null, '2026-01-15T12:00:00Z')).toBe('unscheduled');
  });
});
