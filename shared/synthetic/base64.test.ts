import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64FromText } from './base64.js';

describe('base64FromText', () => {
  it('encodes UTF-8 text exactly as Node does, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(base64FromText(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('pads short inputs and handles multi-byte characters', () => {
    expect(base64FromText('')).toBe('');
    expect(base64FromText('a')).toBe('YQ==');
    expect(base64FromText('ab')).toBe('YWI=');
    expect(base64FromText('abc')).toBe('YWJj');
    expect(base64FromText('T 37.2 °C')).toBe(Buffer.from('T 37.2 °C').toString('base64'));
  });
});
