import { describe, expect, it } from 'vitest';
import { auditRequest, EMPTY_AUDIT_FILTERS } from './audit-query.js';

describe('auditRequest', () => {
  it('asks for the first page with no filters', () => {
    expect(auditRequest(EMPTY_AUDIT_FILTERS)).toEqual({ ok: true, request: { limit: 100 } });
  });

  it('passes filters, times as instants, and the page to continue after', () => {
    const result = auditRequest({ patientId: ' pat-1 ', userId: 'nurse.kim', from: '2026-03-12T08:00', to: '2026-03-12T20:00' }, 42);
    expect(result).toEqual({
      ok: true,
      request: {
        limit: 100,
        patientId: 'pat-1',
        userId: 'nurse.kim',
        from: new Date(2026, 2, 12, 8, 0).toISOString(),
        to: new Date(2026, 2, 12, 20, 0).toISOString(),
        afterSequence: 42,
      },
    });
  });

  it('explains a filter the host would refuse', () => {
    expect(auditRequest({ ...EMPTY_AUDIT_FILTERS, patientId: 'Smith, John' })).toMatchObject({
      ok: false,
      errors: { patientId: expect.stringContaining('not a name') },
    });
    expect(auditRequest({ ...EMPTY_AUDIT_FILTERS, from: '2026-03-13T08:00', to: '2026-03-12T08:00' })).toMatchObject({
      ok: false,
      errors: { to: expect.any(String) },
    });
  });
});
