import { describe, expect, it } from 'vitest';
import { decimalSeparatorOf, parseDecimal } from './decimal-input.js';

describe('reading a typed decimal by locale', () => {
  it('knows the decimal sign of English and German', () => {
    expect(decimalSeparatorOf('en-GB')).toBe('.');
    expect(decimalSeparatorOf('de-DE')).toBe(',');
  });

  it.each(['en-GB', 'en-US', 'de-DE', 'fr-FR'])('reads "37,2" and "37.2" as 37.2 in %s, never 372', (locale) => {
    expect(parseDecimal('37,2', locale)).toEqual({ ok: true, value: 37.2 });
    expect(parseDecimal('37.2', locale)).toEqual({ ok: true, value: 37.2 });
    expect(parseDecimal(' 37,25 ', locale)).toEqual({ ok: true, value: 37.25 });
    expect(parseDecimal('72', locale)).toEqual({ ok: true, value: 72 });
  });

  it('refuses a separator that the locale reads as a thousands group', () => {
    const english = parseDecimal('1,000', 'en-GB');
    expect(english.ok).toBe(false);
    if (!english.ok) expect(english.message).toMatch(/two ways/);
    expect(parseDecimal('1.000', 'de-DE').ok).toBe(false);
    expect(parseDecimal('1.000', 'en-GB')).toEqual({ ok: true, value: 1 });
    expect(parseDecimal('1,000', 'de-DE')).toEqual({ ok: true, value: 1 });
  });

  it.each(['37,2,1', '1.234,5', '37.2°', 'abc', '-5', '+5', ',5', '5,', '3 7', '', '٣٧'])('refuses "%s" with a message', (text) => {
    const reading = parseDecimal(text, 'en-GB');
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.message.length).toBeGreaterThan(5);
  });
});
