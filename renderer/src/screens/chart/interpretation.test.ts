import { describe, expect, it } from 'vitest';
import { interpretationFlag } from './interpretation.js';

describe('interpretationFlag', () => {
  it('names high, low and critical results in words', () => {
    expect(interpretationFlag('H')).toEqual({ short: 'H', label: 'High', tone: 'high' });
    expect(interpretationFlag('L')?.label).toBe('Low');
    expect(interpretationFlag('HH')).toMatchObject({ label: 'Critically high', tone: 'critical' });
    expect(interpretationFlag('LL')).toMatchObject({ label: 'Critically low', tone: 'critical' });
    expect(interpretationFlag('A')?.label).toBe('Abnormal');
  });

  it('flags nothing for normal or missing interpretations', () => {
    expect(interpretationFlag('N')).toBeNull();
    expect(interpretationFlag(null)).toBeNull();
    expect(interpretationFlag('  ')).toBeNull();
  });

  it('still flags a code it does not know, rather than hiding it', () => {
    expect(interpretationFlag('XYZ')).toMatchObject({ short: 'XYZ', tone: 'abnormal' });
  });
});
