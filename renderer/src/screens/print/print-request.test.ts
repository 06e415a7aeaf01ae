import { describe, expect, it } from 'vitest';
import { base64Bytes } from './pdf-download.js';
import { marPrintRequest, printedSummary, printFailureText } from './print-request.js';

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

  it('decodes the PDF bytes', () => {
    expect([...base64Bytes(btoa('%PDF-'))]).toEqual([37, 80, 68, 70, 45]);
  });
});
