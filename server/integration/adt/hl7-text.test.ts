// HL7 escape sequences: delimiters with the message's own MSH-1/MSH-2, hex in the message's
// character set, formatting dropped with its text kept, and what the hub cannot read refused.
import { Hl7Context } from '@medplum/core';
import { describe, expect, it } from 'vitest';
import { parseHl7, readAdtMessage } from './adt-message.js';
import { charsetDecoder, unescapeHl7 } from './hl7-text.js';

const standard = { delimiters: new Hl7Context(), decoder: 'utf-8' };
const decode = (raw: string, context = standard) => unescapeHl7(raw, context, 'PID-5');

describe('HL7 escape sequences', () => {
  it('decodes the delimiters, with the standard ones', () => {
    expect(decode('O\\T\\Brien\\F\\X\\S\\Y\\E\\Z\\R\\')).toBe('O&Brien|X^Y\\Z~');
    expect(decode('Plain')).toBe('Plain');
  });

  it('decodes the delimiters the message declares (MSH-1, MSH-2), not the standard ones', () => {
    // MSH|$%!? : field $, component %, repetition !, escape ?, subcomponent none given → default &.
    const context = { delimiters: new Hl7Context('\r', '$', '%', '!', '?', '*'), decoder: 'utf-8' };
    expect(decode('A?T?B?F?C?S?D?E?E?R?', context)).toBe('A*B$C%D?E!');
    expect(decode('back\\slash', context)).toBe('back\\slash');
  });

  it("decodes hex in the message's character set", () => {
    expect(decode('M\\XC3BC\\ller')).toBe('Müller');
    expect(decode('M\\XFC\\ller', { ...standard, decoder: charsetDecoder('8859/1') })).toBe('Müller');
    expect(decode('\\XA4\\', { ...standard, decoder: charsetDecoder('8859/15') })).toBe('€');
    expect(() => decode('M\\XFC\\ller')).toThrow(expect.objectContaining({ code: 'BAD_VALUE' }));
  });

  it('keeps the text of formatted values and drops the formatting', () => {
    expect(decode('Anne\\.br\\Marie')).toBe('Anne Marie');
    expect(decode('\\H\\Smith\\N\\')).toBe('Smith');
    expect(decode('A\\.sp2\\ B\\.in+4\\C')).toBe('A BC');
  });

  it('refuses what it cannot read: unknown, locally defined, charset switches, unfinished, controls', () => {
    for (const raw of ['A\\Q\\B', 'A\\Zfoo\\B', 'A\\C2842\\B', 'A\\M2442\\B', 'A\\T', 'A\\X0D\\B', 'A\\X1\\B'])
      expect(() => decode(raw), raw).toThrow(expect.objectContaining({ code: 'BAD_VALUE' }));
  });
});

const adt = (pid5: string, pv1_3 = 'a^12^1', pid3 = 'M7^^^A^MR', pv1_19 = 'V1') =>
  parseHl7(
    [
      'MSH|^~\\&|EHR|GENERAL|W|H|20260115081000|secret|ADT^A01^ADT_A01|C1|P|2.5',
      'EVN|A01|20260115081000',
      `PID|1||${pid3}||${pid5}||19500101|F`,
      `PV1|1|I|${pv1_3}||||||||||||||||${pv1_19}`,
    ].join('\r'),
  );

describe('an ADT message read with its escapes', () => {
  it('decodes names, and identifiers to their true form', () => {
    const message = readAdtMessage(adt('O\\T\\Brien\\F\\X\\S\\Y\\E\\Z^Ann\\.br\\Marie', 'a^12^1', 'M\\X37\\^^^A^MR', 'V\\X31\\'));
    expect(message.patient.family).toBe('O&Brien|X^Y\\Z');
    expect(message.patient.given).toEqual(['Ann Marie']);
    expect(message.patient.mrn).toBe('M7');
    expect(message.visit?.visitNumber).toBe('V1');
  });

  it('refuses (AR 102) a ward, room, bed, MRN or visit number whose escape decodes to a delimiter', () => {
    for (const [pv1_3, pid3, pv1_19] of [
      ['a\\S\\b^1^1', 'M7^^^A^MR', 'V1'],
      ['a^1\\T\\2^1', 'M7^^^A^MR', 'V1'],
      ['a^1^1\\F\\', 'M7^^^A^MR', 'V1'],
      ['a^1^1', 'M\\R\\7^^^A^MR', 'V1'],
      ['a^1^1', 'M7^^^A^MR', 'V\\S\\1'],
    ]) {
      expect(() => readAdtMessage(adt('Doe', pv1_3, pid3, pv1_19))).toThrow(
        expect.objectContaining({ code: 'BAD_VALUE', message: expect.stringMatching(/escape sequence/) }),
      );
    }
  });
});
