import { describe, expect, it } from 'vitest';
import { durationText } from './duration-text.js';

describe('durationText', () => {
  it('says policy durations in minutes, hours and days', () => {
    expect(durationText(5 * 60_000)).toBe('5 minutes');
    expect(durationText(60_000)).toBe('1 minute');
    expect(durationText(12 * 3_600_000)).toBe('12 hours');
    expect(durationText(90 * 60_000)).toBe('1 hour 30 minutes');
    expect(durationText(30 * 86_400_000)).toBe('30 days');
    expect(durationText(30_000)).toBe('30 seconds');
    expect(durationText(-1)).toBe('—');
  });
});
