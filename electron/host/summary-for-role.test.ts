import { describe, expect, it } from 'vitest';
import type { CensusEntry, PatientSummary } from '../vault/index.js';
import { censusForRole, summaryForRole } from './summary-for-role.js';

const slot = { medication: 'Enoxaparin 40 MG Injection', scheduledAt: '2026-12-07T18:00:00.000Z', count: 2 };
const alert = { id: 'f1', text: 'Falls risk', category: 'safety' };

describe('what a role sees of the census and the chart summary', () => {
  it('shows the doses recorded twice and the alerts to a nurse or physician, and leaves them out for a clerk', () => {
    const row = { patientId: 'p1', name: 'Test, Ada', alerts: [alert], news2: null, dosesRecordedTwice: [slot] } as unknown as CensusEntry;
    expect(censusForRole([row], 'nurse')[0]).toEqual(row);
    expect(censusForRole([row], 'physician')[0]?.dosesRecordedTwice).toEqual([slot]);
    expect(censusForRole([row], 'clerk')[0]).toEqual({ patientId: 'p1', name: 'Test, Ada' });
    const encounter = { id: 'e1', bed: 'Bed 1', reason: 'Sepsis' };
    const summary = {
      patient: { id: 'p1' },
      encounter,
      dosesRecordedTwice: [slot],
      news2: null,
      alerts: [alert],
    } as unknown as PatientSummary;
    expect(summaryForRole(summary, 'nurse')).toEqual(summary);
    // The admission stays, without its reason (a diagnosis).
    expect(summaryForRole(summary, 'clerk')).toEqual({ patient: { id: 'p1' }, encounter: { id: 'e1', bed: 'Bed 1' } });
    expect(summaryForRole({ ...summary, encounter: null }, 'clerk')).toEqual({ patient: { id: 'p1' }, encounter: null });
  });

  it('leaves out a field the field table does not classify, whoever reads', () => {
    const row = { patientId: 'p1', somethingNew: 'clinical?' } as unknown as CensusEntry;
    expect(censusForRole([row], 'nurse')[0]).toEqual({ patientId: 'p1' });
  });
});
