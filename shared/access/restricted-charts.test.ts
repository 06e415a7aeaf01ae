import { describe, expect, it } from 'vitest';
import { CONFIDENTIALITY_SYSTEM, isRestricted } from './restricted-charts.js';

describe('restricted patients', () => {
  it.each([
    [{ meta: { security: [{ system: CONFIDENTIALITY_SYSTEM, code: 'R' }] } }, true],
    [{ meta: { security: [{ system: CONFIDENTIALITY_SYSTEM, code: 'V' }] } }, true],
    [
      {
        meta: {
          security: [
            { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HIV' },
            { system: CONFIDENTIALITY_SYSTEM, code: 'V' },
          ],
        },
      },
      true,
    ],
    [{ meta: { security: [{ system: CONFIDENTIALITY_SYSTEM, code: 'N' }] } }, false],
    [{ meta: { security: [{ system: CONFIDENTIALITY_SYSTEM, code: 'M' }] } }, false],
    [{ meta: { security: [{ system: 'http://example.org/other', code: 'R' }] } }, false],
    [{ meta: { security: [{ code: 'R' }] } }, false],
    [{ meta: {} }, false],
    [{}, false],
  ])('%j → %s', (resource, expected) => {
    expect(isRestricted(resource)).toBe(expected);
  });
});
