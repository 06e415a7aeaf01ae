// The break-the-glass reason as the hub receives it: one header line of printable ASCII that the hub
// accepts (at most 500 characters), readable where the user typed plain text.
import { describe, expect, it } from 'vitest';
import { breakTheGlassReasonHeader } from './off-ward-fetch.js';

describe('the break-the-glass reason header', () => {
  it('is the code and the words, as typed when they are plain text', () => {
    expect(breakTheGlassReasonHeader('ETREAT', '  Collapsed in radiology, history needed  ')).toBe(
      'ETREAT: Collapsed in radiology, history needed',
    );
  });

  it('turns control characters into spaces and percent-encodes "%" and everything outside printable ASCII', () => {
    expect(breakTheGlassReasonHeader('COC', 'Übernahme\r\nvon Station 4 — 100%')).toBe(
      'COC: %C3%9Cbernahme  von Station 4 %E2%80%94 100%25',
    );
    expect(breakTheGlassReasonHeader('TREAT', 'broken \ud800 text here')).toBe('TREAT: broken ? text here');
  });

  it('stays within 500 characters without cutting an escape in two', () => {
    const header = breakTheGlassReasonHeader('ETREAT', `${'a'.repeat(486)}ééé`);
    expect(header.length).toBeLessThanOrEqual(500);
    expect(header).toMatch(/^ETREAT: a{486}%C3%A9$/);
    expect(header).toMatch(/^[\x20-\x7e]*$/);
  });
});
