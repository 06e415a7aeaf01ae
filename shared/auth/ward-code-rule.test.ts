// One ward code rule: the identity schemas (enrollment answers, tokens' claims, the workstation's
// policy) accept exactly the codes the hub serves and the ADT feed sends (shared/fhir
// WARD_CODE_PATTERN), no wider (no "_", no 25th character) and no narrower.
import { describe, expect, it } from 'vitest';
import { isWardCode, WARD_CODE_PATTERN } from '../fhir/index.js';
import { wardSchema } from './schemas.js';

const CODES = [
  '4north',
  'a',
  'ICU-2',
  'ward.5',
  'x'.repeat(24),
  'x'.repeat(25),
  '4_north',
  '',
  '4 north',
  '4/north',
  'né',
  'ward-a-room-1',
];

describe('the ward code rule', () => {
  it('is the same in the identity schemas as in shared/fhir', () => {
    for (const code of CODES) {
      expect(wardSchema.safeParse(code).success, code).toBe(WARD_CODE_PATTERN.test(code));
      expect(isWardCode(code), code).toBe(WARD_CODE_PATTERN.test(code));
    }
    expect(wardSchema.safeParse('4_north').success).toBe(false);
    expect(wardSchema.safeParse('x'.repeat(25)).success).toBe(false);
    expect(wardSchema.safeParse('x'.repeat(24)).success).toBe(true);
  });
});
