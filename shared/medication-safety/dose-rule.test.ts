import ucum from '@lhncbc/ucum-lhc';
import { describe, expect, it } from 'vitest';
import { checkDose } from './dose-rule.js';
import type { UnitConverter } from './units.js';

const utils = ucum.UcumLhcUtils.getInstance();
const convert: UnitConverter = (value, from, to) => {
  const result = utils.convertUnitTo(from, value, to);
  return result.status === 'succeeded' ? result.toVal : null;
};
const order = { value: 500, unit: 'mg' };

describe('the dose rule', () => {
  it('passes the ordered dose in the ordered unit', () => {
    expect(checkDose(order, { value: 500, unit: 'mg' }, convert).kind).toBe('matches');
    expect(checkDose({ value: 100, unit: 'mcg' }, { value: 100, unit: 'ug' }, convert).kind).toBe('matches');
  });

  it('asks a reason for a different dose, or the same dose in another unit', () => {
    expect(checkDose(order, { value: 250, unit: 'mg' }, convert).kind).toBe('differs');
    expect(checkDose(order, { value: 0.5, unit: 'g' }, convert).kind).toBe('differs');
    expect(checkDose(order, { value: 1000, unit: 'mg' }, convert).kind).toBe('differs');
  });

  it('stops 5000 g against a 500 mg order, and anything over twice the ordered dose', () => {
    expect(checkDose(order, { value: 5000, unit: 'g' }, convert).kind).toBe('over-limit');
    expect(checkDose(order, { value: 1001, unit: 'mg' }, convert).kind).toBe('over-limit');
    expect(checkDose(order, { value: 1.5, unit: 'g' }, convert).kind).toBe('over-limit');
  });

  it('stops a unit that cannot be converted to the order’s', () => {
    expect(checkDose(order, { value: 5, unit: 'mL' }, convert).kind).toBe('unit-not-convertible');
    expect(checkDose(order, { value: 1, unit: 'tablet' }, convert).kind).toBe('unit-not-convertible');
    expect(checkDose(order, { value: 1, unit: 'spoonful' }, convert).kind).toBe('unit-not-convertible');
  });
});
