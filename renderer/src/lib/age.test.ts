import { describe, expect, it } from 'vitest';
import { ageOn, sexLabel, shortAge, spokenAge } from './age.js';

const on = (y: number, m: number, d: number): Date => new Date(y, m - 1, d, 12, 0, 0);

describe('age from a birth date', () => {
  it('counts whole years, turning a year older on the birthday itself', () => {
    expect(ageOn('1958-03-14', on(2025, 3, 13))?.years).toBe(66);
    expect(ageOn('1958-03-14', on(2025, 3, 14))?.years).toBe(67);
  });

  it('shows months under two years and days under a month', () => {
    expect(shortAge(ageOn('2024-01-20', on(2025, 3, 14))!)).toBe('13 mo');
    expect(shortAge(ageOn('2025-03-02', on(2025, 3, 14))!)).toBe('12 d');
    expect(shortAge(ageOn('2025-02-20', on(2025, 3, 14))!)).toBe('22 d');
    expect(spokenAge(ageOn('1958-03-14', on(2025, 3, 14))!)).toBe('67 years');
    expect(spokenAge(ageOn('2025-03-13', on(2025, 3, 14))!)).toBe('1 day');
  });

  it('reads partial FHIR dates and refuses unreadable or future ones', () => {
    expect(ageOn('1958', on(2025, 3, 14))?.years).toBe(67);
    expect(ageOn('1958-12', on(2025, 3, 14))?.years).toBe(66);
    expect(ageOn('not a date', on(2025, 3, 14))).toBeNull();
    expect(ageOn('2026-01-01', on(2025, 3, 14))).toBeNull();
    expect(ageOn('1958-13-01', on(2025, 3, 14))).toBeNull();
  });

  it('handles a birthday on the 31st in a short month', () => {
    expect(ageOn('2000-01-31', on(2025, 3, 1))).toEqual({ years: 25, months: 301, days: 1 });
  });

  it('labels the administrative gender in a letter and a word', () => {
    expect(sexLabel('female')).toEqual({ short: 'F', long: 'female' });
    expect(sexLabel(null).long).toBe('sex unknown');
  });
});
