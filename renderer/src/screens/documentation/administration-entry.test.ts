import { describe, expect, it } from 'vitest';
import { checkAdministration, type AdministrationInput, initialAdministrationTime } from './administration-entry.js';

const now = new Date('2026-03-12T14:00:00Z');
const base: AdministrationInput = {
  medicationRequestId: 'req-1',
  outcome: 'given',
  doseValue: 500,
  doseUnit: 'mg',
  notGivenReason: null,
  note: '',
  effectiveAt: null,
  scheduledAt: '2026-03-12T14:00:00Z',
  confirmation: { method: 'scan', value: 'MRN0001234' },
  chartMrn: 'MRN0001234',
  reasons: {},
};

describe('checkAdministration', () => {
  it('records a given dose with its dose, scheduled time, the patient confirmation and now as the time', () => {
    expect(checkAdministration(base, now)).toEqual({
      ok: true,
      entry: {
        medicationRequestId: 'req-1',
        given: true,
        effectiveAt: now.toISOString(),
        scheduledAt: '2026-03-12T14:00:00.000Z',
        dose: { value: 500, unit: 'mg' },
        patientConfirmation: { method: 'scan', value: 'MRN0001234' },
      },
    });
  });

  it('asks to confirm the patient first, and refuses another MRN', () => {
    expect(checkAdministration({ ...base, confirmation: null }, now)).toMatchObject({
      ok: false,
      fieldErrors: { confirmation: expect.stringContaining('Scan the wristband') },
    });
    expect(checkAdministration({ ...base, confirmation: { method: 'typed', value: 'MRN0009999' } }, now)).toMatchObject({
      ok: false,
      fieldErrors: { confirmation: expect.stringContaining('does not match') },
    });
  });

  it('asks for the dose when it is given, and sends the reasons chosen', () => {
    expect(checkAdministration({ ...base, doseValue: null, doseUnit: ' ' }, now)).toMatchObject({
      ok: false,
      fieldErrors: { dose: 'Enter the dose given.', doseUnit: expect.any(String) },
    });
    expect(checkAdministration({ ...base, reasons: { time: 'clinical-priority' } }, now)).toMatchObject({
      ok: true,
      entry: { reasons: { time: 'clinical-priority' } },
    });
  });

  it('asks for a coded reason when it is held, and sends no dose', () => {
    expect(checkAdministration({ ...base, outcome: 'held' }, now)).toMatchObject({
      ok: false,
      fieldErrors: { reason: 'Choose why the dose was not given.' },
    });
    const held = checkAdministration({ ...base, outcome: 'held', notGivenReason: 'nil-by-mouth', note: 'Theatre at 15:00' }, now);
    expect(held).toMatchObject({ ok: true, entry: { given: false, notGivenReason: 'nil-by-mouth', note: 'Theatre at 15:00' } });
    expect(held.ok && held.entry.dose).toBeUndefined();
  });

  it('refuses a time in the future', () => {
    expect(checkAdministration({ ...base, effectiveAt: new Date('2026-03-12T16:00:00Z') }, now)).toMatchObject({
      ok: false,
      fieldErrors: { time: expect.any(String) },
    });
  });
});

describe('the time a dose starts at', () => {
  const now = new Date(2026, 2, 12, 13, 25);
  it("starts at now for an as-needed dose and for a scheduled dose that is due, never at today's time for a dose not yet due", () => {
    expect(initialAdministrationTime(null, now, 60)).toBe('2026-03-12T13:25');
    expect(initialAdministrationTime(new Date(2026, 2, 12, 13, 0).toISOString(), now, 60)).toBe('2026-03-12T13:25');
    expect(initialAdministrationTime(new Date(2026, 2, 12, 14, 0).toISOString(), now, 60)).toBe('2026-03-12T13:25');
    expect(initialAdministrationTime(new Date(2026, 2, 12, 18, 0).toISOString(), now, 60)).toBe('');
    expect(initialAdministrationTime(new Date(2026, 2, 13, 8, 0).toISOString(), now, 60)).toBe('');
  });

  it('judges "due" by the window it is given (the one the host enforces), not by the default', () => {
    const inNinetyMinutes = new Date(2026, 2, 12, 14, 55).toISOString();
    expect(initialAdministrationTime(inNinetyMinutes, now, 60)).toBe('');
    expect(initialAdministrationTime(inNinetyMinutes, now, 120)).toBe('2026-03-12T13:25');
    expect(initialAdministrationTime(new Date(2026, 2, 12, 13, 50).toISOString(), now, 15)).toBe('');
  });
});
