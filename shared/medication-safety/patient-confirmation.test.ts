import { describe, expect, it } from 'vitest';
import { confirmedIdentifier, confirmsPatient } from './patient-confirmation.js';

describe('the patient confirmation', () => {
  it('confirms the chart by its MRN scanned from the wristband (with or without the system) or typed', () => {
    expect(confirmsPatient({ method: 'scan', value: 'urn:wardline:mrn|MRN0001234' }, 'MRN0001234')).toBe(true);
    expect(confirmsPatient({ method: 'scan', value: 'MRN0001234\r' }, 'MRN0001234')).toBe(true);
    expect(confirmsPatient({ method: 'typed', value: ' mrn0001234 ' }, 'MRN0001234')).toBe(true);
    expect(confirmedIdentifier('MRN: 0001234')).toBe('0001234');
  });

  it("refuses another patient's MRN, an empty entry, no confirmation, and a chart without an MRN", () => {
    expect(confirmsPatient({ method: 'typed', value: 'MRN0001235' }, 'MRN0001234')).toBe(false);
    expect(confirmsPatient({ method: 'typed', value: '  ' }, 'MRN0001234')).toBe(false);
    expect(confirmsPatient(undefined, 'MRN0001234')).toBe(false);
    expect(confirmsPatient({ method: 'typed', value: 'MRN0001234' }, null)).toBe(false);
  });
});
