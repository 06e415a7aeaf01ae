import { describe, expect, it } from 'vitest';
import { keyNameFor, stagingNameFor } from './key-name.js';

describe('keyNameFor', () => {
  it('gives each data directory and purpose its own key name, stable across calls', () => {
    expect(keyNameFor('/var/lib/wardline', 'vault')).toBe(keyNameFor('/var/lib/wardline/', 'vault'));
    expect(keyNameFor('/var/lib/wardline', 'vault')).not.toBe(keyNameFor('/var/lib/wardline2', 'vault'));
    expect(keyNameFor('/var/lib/wardline', 'vault')).not.toBe(keyNameFor('/var/lib/wardline', 'audit'));
    expect(stagingNameFor(keyNameFor('/d', 'vault'))).not.toBe(keyNameFor('/d', 'vault'));
  });

  it('reveals nothing of the path it is derived from', () => {
    const name = keyNameFor('/home/nurse.jones/wardline', 'audit');
    expect(name).toMatch(/^audit-[0-9a-f]{24}$/);
    expect(name).not.toContain('jones');
  });
});
