import { describe, expect, it } from 'vitest';
import { parseDose } from './dose-parse.js';

describe('parseDose', () => {
  it('reads the dose an order starts with', () => {
    expect(parseDose('500 mg oral twice daily at 08:00, 18:00')).toEqual({ value: 500, unit: 'mg' });
    expect(parseDose('1 g oral every 6 hours as needed for pain')).toEqual({ value: 1, unit: 'g' });
    expect(parseDose('2.5mg oral once daily')).toEqual({ value: 2.5, unit: 'mg' });
    expect(parseDose('40 units subcutaneous at night')).toEqual({ value: 40, unit: 'units' });
  });

  it('guesses nothing from text that does not start with a dose', () => {
    expect(parseDose('Take as directed')).toBeNull();
    expect(parseDose('2 times daily')).toBeNull();
    expect(parseDose(null)).toBeNull();
    expect(parseDose('0 mg')).toBeNull();
  });
});
