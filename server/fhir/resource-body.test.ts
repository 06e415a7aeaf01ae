import { describe, expect, it } from 'vitest';
import { validatedBody } from './resource-body.js';

const patient = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  resourceType: 'Patient',
  id: 'p-1',
  name: [{ family: 'Test', given: ['Ada'] }],
  ...extra,
});

/** Every control character FHIR strings may not hold: U+0000–U+001F except tab, LF and CR. */
const FORBIDDEN = Array.from({ length: 0x20 }, (_, code) => code).filter((code) => ![0x09, 0x0a, 0x0d].includes(code));

describe('validatedBody refuses control characters wherever they hide', () => {
  it.each(FORBIDDEN)('refuses code %i in a nested string, an array element and an object key', (code) => {
    const char = String.fromCharCode(code);
    const places = [
      patient({ name: [{ family: `Te${char}st`, given: ['Ada'] }] }),
      patient({ name: [{ family: 'Test', given: ['Ada', `B${char}`] }] }),
      patient({ [`extension${char}`]: [] }),
      patient({ identifier: [{ system: 'urn:x', value: 'ok', period: { start: `2026${char}` } }] }),
    ];
    for (const body of places) {
      expect(() => validatedBody(body, 'Patient')).toThrow(expect.objectContaining({ status: 422, code: 'INVALID_RESOURCE' }));
    }
  });

  it('lets tab, line feed, carriage return and DEL through to FHIR validation', () => {
    const body = patient({ name: [{ family: 'Te\tst\r\n\u007f', given: ['Ada'] }] });
    expect(validatedBody(body, 'Patient')).toMatchObject({ resourceType: 'Patient', id: 'p-1' });
  });

  it('does not take an escaped backslash or the letters of an escape for a control character', () => {
    const body = patient({ name: [{ family: '\\u0001 \\b \\f', given: ['Ada'] }] });
    expect(validatedBody(body, 'Patient')).toMatchObject({ resourceType: 'Patient' });
  });
});
