import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sameJson } from './canonical-json.js';

describe('canonical JSON (RFC 8785)', () => {
  it("writes the RFC's own example exactly: sorted members, ECMAScript numbers, minimal string escapes", () => {
    // RFC 8785 section 3.2.2 (input parsed by JSON.parse, as a receiver would).
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("orders member names by UTF-16 code units, as the RFC's sorting example does", () => {
    const input = {
      '€': 'Euro Sign',
      '\r': 'Carriage Return',
      '\uFB33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '😀': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      ö: 'Latin Small Letter O With Diaeresis',
    };
    const names = Object.keys(JSON.parse(canonicalJson(input)) as object);
    // JSON.parse puts "1" first again (an integer-like key); compare the text order instead.
    const order = ['\r', '1', '\u0080', 'ö', '€', '😀', '\uFB33'].map((name) => canonicalJson(input).indexOf(JSON.stringify(name)));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(names).toHaveLength(7);
  });

  it('writes numbers as ECMAScript does at the exponent boundaries, and -0 as 0', () => {
    expect(canonicalJson([1e21, 1e20, 1e-7, 1e-6, -0, 5e-324, Number.MAX_SAFE_INTEGER + 2, 0.1 + 0.2])).toBe(
      '[1e+21,100000000000000000000,1e-7,0.000001,0,5e-324,9007199254740992,0.30000000000000004]',
    );
  });

  it('nests without whitespace and gives the same text whatever the key order was', () => {
    const a = { b: [1, { y: 2, x: 'z' }], a: { d: null, c: true } };
    const b = { a: { c: true, d: null }, b: [1, { x: 'z', y: 2 }] };
    expect(canonicalJson(a)).toBe('{"a":{"c":true,"d":null},"b":[1,{"x":"z","y":2}]}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('refuses what is not JSON instead of hashing something ambiguous', () => {
    expect(() => canonicalJson({ a: undefined })).toThrow(/\$\.a/);
    expect(() => canonicalJson([Number.NaN])).toThrow(/finite/);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/class instance/);
    expect(() => canonicalJson(1n)).toThrow(/bigint/);
  });
});

describe('canonical JSON of a value as JSON.stringify would send it', () => {
  it('leaves out undefined members and writes an undefined item as null, but still refuses what JSON cannot say', () => {
    expect(canonicalJson({ b: undefined, a: [1, undefined], c: { d: undefined } }, { omitUndefined: true })).toBe('{"a":[1,null],"c":{}}');
    expect(() => canonicalJson({ a: Number.NaN }, { omitUndefined: true })).toThrow(/finite/);
    expect(() => canonicalJson({ when: new Date(0) }, { omitUndefined: true })).toThrow(/class instance/);
  });

  it('writes exactly the strict text for anything JSON.parse gives, so existing hashes stay valid', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = JSON.parse(JSON.stringify(value)) as unknown;
        expect(canonicalJson(parsed, { omitUndefined: true })).toBe(canonicalJson(parsed));
        expect(JSON.parse(canonicalJson(parsed))).toEqual(parsed);
      }),
      { numRuns: 500, seed: 20261206 },
    );
  });

  it('tells the same JSON whatever the key order, and an absent value from a present one', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameJson(undefined, undefined)).toBe(true);
    expect(sameJson(undefined, null)).toBe(false);
    expect(sameJson('x', undefined)).toBe(false);
  });
});
