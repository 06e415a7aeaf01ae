import { describe, expect, it } from 'vitest';
import { counted } from './count-words.js';

describe('counted', () => {
  it('puts the noun in the number of the count', () => {
    expect(counted(1, 'audit entry', 'audit entries')).toBe('1 audit entry');
    expect(counted(0, 'audit entry', 'audit entries')).toBe('0 audit entries');
    expect(counted(2, 'batch', 'batches')).toBe('2 batches');
  });
});
