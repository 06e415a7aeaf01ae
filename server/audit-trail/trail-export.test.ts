import { describe, expect, it } from 'vitest';
import { csvCell } from './index.js';

describe('the CSV cells of a trail export', () => {
  it('quotes commas, quotes and line breaks, and defuses what a spreadsheet would run as a formula', () => {
    expect(csvCell('Moreau, Alex')).toBe('"Moreau, Alex"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const start of ['+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1`).replaceAll('"', '')).toMatch(/^'/);
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });
});
