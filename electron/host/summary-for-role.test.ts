import { describe, expect, it } from 'vitest';
import type { CensusEntry, PatientSummary } from '../vault/index.js';
import { censusForRole, summaryForRole } from './summary-for-role.js';

const slot = { medication: 'Enoxaparin 40 MG Injection', scheduledAt: '2026-12-07T18:00:00.000Z', count: 2 };

describe('what a role sees of the doses recorded twice', () => {
  it('shows them on the census and in the summary to a nurse or physician, never to a clerk', () => {
    const row = { patientId: 'p1', dosesRecordedTwice: [slot] } as unknown as CensusEntry;
    expect(censusForRole([row], 'nurse')[0]?.dosesRecordedTwice).toEqual([slot]);
    expect(censusForRole([row], 'physician')[0]?.dosesRecordedTwice).toEqual([slot]);
    expect(censusForRole([row], 'clerk')[0]?.dosesRecordedTwice).toEqual([]);
    const summary = { dosesRecordedTwice: [slot], news2: null } as unknown as PatientSummary;
    expect(summaryForRole(summary, 'nurse').dosesRecordedTwice).toEqual([slot]);
    expect(summaryForRole(summary, 'clerk').dosesRecordedTwice).toEqual([]);
  });
});
