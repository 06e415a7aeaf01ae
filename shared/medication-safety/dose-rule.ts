// Right dose: the dose given against the order's dose. The same dose in the same unit passes; a
// different dose or unit needs a coded reason; more than twice the ordered dose, or a unit that
// cannot be converted to the order's, is a hard stop (nothing is saved).
import { ucumCodeOf, type UnitConverter } from './units.js';

export interface Dose {
  readonly value: number;
  readonly unit: string;
}

/** More than this many times the ordered dose is refused. */
export const HARD_STOP_DOSE_MULTIPLE = 2;

export type DoseFinding =
  { readonly kind: 'matches' } | { readonly kind: 'differs' } | { readonly kind: 'over-limit' } | { readonly kind: 'unit-not-convertible' };

const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

export function checkDose(ordered: Dose, given: Dose, convert: UnitConverter): DoseFinding {
  const orderedUnit = ucumCodeOf(ordered.unit);
  const givenUnit = ucumCodeOf(given.unit);
  const sameUnit = orderedUnit === givenUnit;
  const amount = sameUnit ? given.value : convert(given.value, givenUnit, orderedUnit);
  if (amount === null || !Number.isFinite(amount)) return { kind: 'unit-not-convertible' };
  if (amount > HARD_STOP_DOSE_MULTIPLE * ordered.value && !same(amount, HARD_STOP_DOSE_MULTIPLE * ordered.value)) {
    return { kind: 'over-limit' };
  }
  return sameUnit && same(amount, ordered.value) ? { kind: 'matches' } : { kind: 'differs' };
}
