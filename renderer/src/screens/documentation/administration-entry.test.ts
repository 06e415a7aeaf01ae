import { describe, expect, it } from 'vitest';
import { checkAdministration, type AdministrationInput } from './administration-entry.js';

const now = new Date('2026-03-12T14:00:00Z');
const base: AdministrationInput = {
  medicationRequestId: 'req-1',
  outcome: 'given',
  doseValue: 500,
  doseUnit: 'mg',
  reason: '',
  effectiveAt: null,
  scheduledAt: '2026-03-12T14:00:00Z',
};

describe('checkAdministration', () => {
  it('records a given dose with its dose, scheduled time and now as the time', () => {
    expect(checkAdministration(base, now)).toEqual({
      ok: true,
      entry: {
        medicationRequestId: 'req-1',
        given: true,
        effectiveAt: now.toISOString(),
        scheduledAt: '2026-03-12T14:00:00.000Z',
        dose: { value: 500, unit: 'mg' },
      },
    });
  });

  it('asks for the dose when it is given', () => {
    expect(checkAdministration({ ...base, doseValue: null, doseUnit: ' ' }, now)).toMatchObject({
      ok: false,
      fieldErrors: { dose: 'Enter the dose given.', doseUnit: expect.any(String) },
    });
  });

  it('asks for a reason when it is held, and sends no dose', () => {
    expect(checkAdministration({ ...base, outcome: 'held' }, now)).toMatchObject({
      ok: false,
      fieldErrors: { reason: 'Give the reason the dose was held.' },
    });
    const held = checkAdministration({ ...base, outcome: 'held', reason: 'Patient nil by mouth' }, now);
    expect(held).toMatchObject({ ok: true, entry: { given: false, notGivenReason: 'Patient nil by mouth' } });
    expect(held.ok && held.entry.dose).toBeUndefined();
  });

  it('refuses a time in the future', () => {
    expect(checkAdministration({ ...base, effectiveAt: new Date('2026-03-12T16:00:00Z') }, now)).toMatchObject({
      ok: false,
      fieldErrors: { time: expect.any(String) },
    });
  });
});
