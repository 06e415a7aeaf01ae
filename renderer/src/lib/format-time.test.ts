import { describe, expect, it } from 'vitest';
import { epochOf, shortTime } from './format-time.js';

describe('times on screen', () => {
  const now = new Date(2025, 2, 14, 15, 0, 0);

  it('prints the clock time for today and adds the day otherwise', () => {
    expect(shortTime(new Date(2025, 2, 14, 10, 42).toISOString(), now)).toBe('10:42');
    expect(shortTime(new Date(2025, 2, 12, 9, 5).getTime(), now)).toBe('12 Mar 09:05');
  });

  it('gives null rather than "Invalid Date" for unreadable input', () => {
    expect(shortTime('garbage', now)).toBeNull();
    expect(shortTime(null, now)).toBeNull();
    expect(epochOf('garbage')).toBeNull();
    expect(epochOf('2025-03-14T10:42:00Z')).toBe(Date.UTC(2025, 2, 14, 10, 42));
  });
});
