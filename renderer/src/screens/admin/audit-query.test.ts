import { describe, expect, it } from 'vitest';
import { auditFilter, auditRequest, EMPTY_AUDIT_FILTERS } from './audit-query.js';

describe('auditRequest', () => {
  it('asks for the first page with no filters', () => {
    expect(auditRequest(EMPTY_AUDIT_FILTERS)).toEqual({ ok: true, request: { limit: 100 } });
  });

  it('passes filters, times as instants, and the page to continue before', () => {
    const result = auditRequest({ username: ' nina ', patient: ' Smith, Jo ', from: '2026-03-12T08:00', to: '2026-03-12T20:00' }, 42);
    expect(result).toEqual({
      ok: true,
      request: {
        limit: 100,
        username: 'nina',
        patient: 'Smith, Jo',
        from: new Date(2026, 2, 12, 8, 0).toISOString(),
        to: new Date(2026, 2, 12, 20, 0).toISOString(),
        beforeSequence: 42,
      },
    });
  });

  it('gives the export the same filters without a page', () => {
    expect(auditFilter({ ...EMPTY_AUDIT_FILTERS, patient: 'MRN-0042' })).toEqual({ ok: true, filter: { patient: 'MRN-0042' } });
  });

  it('explains a filter the host would refuse', () => {
    expect(auditRequest({ ...EMPTY_AUDIT_FILTERS, username: 'x'.repeat(129) })).toMatchObject({
      ok: false,
      errors: { username: expect.stringContaining('128') },
    });
    expect(auditRequest({ ...EMPTY_AUDIT_FILTERS, from: '2026-03-13T08:00', to: '2026-03-12T08:00' })).toMatchObject({
      ok: false,
      errors: { to: expect.any(String) },
    });
  });
});
