import { StandardFonts, PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { checkPrintWindow } from './print-job.js';
import { formatDateTime } from '../../shared/display/index.js';
import { marFileName, printedTime, printMark } from './print-time.js';
import { winAnsiText } from './win-ansi.js';

describe('text and times on a print', () => {
  it('keeps what Helvetica can encode, drops accents it cannot, and never hands pdf-lib a character it would refuse', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const clean = winAnsiText(font.getCharacterSet());
    expect(clean('Müller-Lüdenscheidt, Zoë')).toBe('Müller-Lüdenscheidt, Zoë');
    expect(clean('Dvořák, Čestmír')).toBe('Dvorák, Cestmír');
    expect(clean('Wałęsa\u200b\tŁukasz\n')).toBe('Walesa Lukasz ');
    expect(clean('50 µg/kg')).toBe('50 mcg/kg');
    expect(clean('患者 🚑')).toBe('?? ?');
    for (const hostile of ['\u0000\u0007', '\ud800', 'Ω≈ç√∫', 'e\u0301\u0302']) {
      expect(() => font.encodeText(clean(hostile))).not.toThrow();
    }
  });

  it("formats times in the app's one clinical format, in the workstation's zone", () => {
    const at = Date.UTC(2025, 6, 1, 22, 30);
    expect(printedTime(new Date(at).toISOString(), 'UTC')).toBe('01 Jul 2025, 22:30');
    expect(printedTime(new Date(at).toISOString(), 'Europe/Berlin')).toBe('02 Jul 2025, 00:30');
    // The same words as every screen shows (shared/display), in the host's zone by default.
    expect(printedTime(new Date(at).toISOString(), undefined)).toBe(formatDateTime(at));
    expect(printedTime(null, 'UTC', 'none')).toBe('none');
    expect(printMark('paul', at, '2025-07-01T21:59:59Z', 'Europe/Berlin')).toBe(
      'Printed by paul at 02 Jul 2025, 00:30 — data as of 01 Jul 2025, 23:59',
    );
    expect(printMark('paul', at, null, 'UTC')).toBe('Printed by paul at 01 Jul 2025, 22:30 — data as of: not synced');
    expect(marFileName(at)).toBe('wardline-mar-20250701T223000Z.pdf');
  });

  it('refuses a window that runs backwards or covers more than a week', () => {
    expect(() => checkPrintWindow('2025-01-02T00:00:00Z', '2025-01-01T00:00:00Z')).toThrow(
      expect.objectContaining({ code: 'INVALID_WINDOW' }),
    );
    expect(() => checkPrintWindow('2025-01-01T00:00:00Z', '2025-01-09T00:00:00Z')).toThrow(
      expect.objectContaining({ code: 'INVALID_WINDOW' }),
    );
    expect(() => checkPrintWindow('2025-01-01T00:00:00Z', '2025-01-04T00:00:00Z')).not.toThrow();
  });
});
