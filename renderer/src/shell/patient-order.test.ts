import { describe, expect, it } from 'vitest';
import { neighbourPatient } from './patient-order.js';

describe('next and previous patient', () => {
  const order = ['p1', 'p2', 'p3'];

  it('follows the census order and stops at either end', () => {
    expect(neighbourPatient(order, 'p2', 1)).toBe('p3');
    expect(neighbourPatient(order, 'p2', -1)).toBe('p1');
    expect(neighbourPatient(order, 'p3', 1)).toBeNull();
    expect(neighbourPatient(order, 'p1', -1)).toBeNull();
  });

  it('does nothing for a patient not on the census (an off-ward chart)', () => {
    expect(neighbourPatient(order, 'px', 1)).toBeNull();
  });
});
