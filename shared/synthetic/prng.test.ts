import { describe, expect, it } from 'vitest';
import { Rng } from './prng.js';

describe('Rng (seeded sfc32)', () => {
  it('repeats the same sequence for the same seed, and a different one for another seed', () => {
    const draw = (seed: string) => {
      const rng = new Rng(seed);
      return Array.from({ length: 20 }, () => rng.uint32());
    };
    expect(draw('ward-a')).toEqual(draw('ward-a'));
    expect(draw('ward-a')).not.toEqual(draw('ward-b'));
  });

  it('keeps derived streams independent of each other', () => {
    expect(Rng.derive('s', 1, 'vitals').uint32()).not.toBe(Rng.derive('s', 1, 'labs').uint32());
    expect(Rng.derive('s', 1, 'vitals').uint32()).toBe(Rng.derive('s', 1, 'vitals').uint32());
    expect(Rng.derive('a', 'b').uint32()).not.toBe(Rng.derive('ab').uint32());
  });

  it('stays within the bounds it is asked for and covers them', () => {
    const rng = new Rng('bounds');
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const n = rng.int(3, 8);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(8);
      seen.add(n);
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      expect(Math.abs(rng.gaussian())).toBeLessThanOrEqual(3.47);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('draws RFC 4122 version 4 UUIDs, all different', () => {
    const rng = new Rng('ids');
    const ids = Array.from({ length: 2000 }, () => rng.uuid());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('samples distinct items and refuses to pick from nothing', () => {
    const rng = new Rng('sample');
    const picked = rng.sample(['a', 'b', 'c', 'd'], 3);
    expect(new Set(picked).size).toBe(3);
    expect(rng.sample(['a'], 5)).toEqual(['a']);
    expect(() => rng.pick([])).toThrow(RangeError);
  });
});
