import { describe, expect, it } from 'vitest';
import { base64Bytes } from './pdf-in-memory.js';
import { deliveredText, marPrintRequest, printedSummary, printFailureText } from './print-request.js';

describe('printing the MAR', () => {
  it('asks for the last 24 hours and the next 24 hours', () => {
    const now = new Date('2026-03-12T12:00:00Z');
    expect(marPrintRequest({ ward: true }, now)).toEqual({
      scope: { ward: true },
      from: '2026-03-11T12:00:00.000Z',
      to: '2026-03-13T12:00:00.000Z',
    });
    expect(marPrintRequest({ patientId: 'p1' }, now).scope).toEqual({ patientId: 'p1' });
  });

  it('explains a refusal in plain language', () => {
    expect(printFailureText('PRINTING_DISABLED', 'x')).toBe('Printing is turned off on this workstation by IT policy.');
    expect(printFailureText('HUB_DOWN', 'The host said why.')).toBe('The host said why.');
    expect(printedSummary({ pages: 1, patients: 3 })).toBe('1 page, 3 patients');
  });

  it('says where the MAR went: the print dialog, the printouts folder, or the page, never a download', () => {
    expect(deliveredText({ delivery: 'print-dialog', pages: 2, patients: 1 })).toBe(
      'MAR ready (2 pages, 1 patient): choose the printer in the print dialog.',
    );
    expect(deliveredText({ delivery: 'pdf-file', fileName: 'wardline-mar-x.pdf', pages: 1, patients: 3 })).toMatch(
      /^MAR saved as wardline-mar-x\.pdf in Wardline's printouts folder \(1 page, 3 patients\); it is removed when the workstation is wiped\.$/,
    );
    expect(
      deliveredText({ delivery: 'in-page', fileName: 'f.pdf', mediaType: 'application/pdf', base64: '', pages: 1, patients: 1 }),
    ).toMatch(/shown below from memory.*Nothing was saved on this computer\.$/);
  });

  it('decodes the PDF bytes', () => {
    expect([...base64Bytes(btoa('%PDF-'))]).toEqual([37, 80, 68, 70, 45]);
  });
});
