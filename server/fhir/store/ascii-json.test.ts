import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiJson } from './ascii-json.js';

describe('asciiJson', () => {
  it('writes a temperature unit, accented names and an emoji as ASCII escapes that read back the same', () => {
    const resource = { unit: '°C', name: 'Zoë Ångström', note: 'fine 👍', sep: '\u2028' };
    const text = asciiJson(resource);
    expect(text).toBe('{"unit":"\\u00b0C","name":"Zo\\u00eb \\u00c5ngstr\\u00f6m","note":"fine \\ud83d\\udc4d","sep":"\\u2028"}');
    expect(JSON.parse(text)).toEqual(resource);
  });

  it('escapes DEL (U+007F), the one ASCII character past U+007E, in otherwise plain text', () => {
    expect(asciiJson({ note: 'a\u007fb' })).toBe('{"note":"a\\u007fb"}');
  });

  it('leaves ASCII JSON exactly as JSON.stringify writes it', () => {
    const resource = { resourceType: 'Observation', valueQuantity: { value: 37.2, unit: 'Cel' }, text: 'quote " and \\ and \n' };
    expect(asciiJson(resource)).toBe(JSON.stringify(resource));
  });

  it('always gives ASCII text that parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = asciiJson(value);
        expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
