// Reading ADT messages: the MRN is the PID-3 repetition typed MR, HL7 times honour their offset,
// a resend with a new send time (MSH-7) hashes the same while other content does not, and fields
// that would become ids refuse characters outside their alphabet; the hash of a message is the one
// earlier hub versions recorded.
import { Hl7Message } from '@medplum/core';
import { describe, expect, it } from 'vitest';
import { parseHl7, readAdtMessage } from './adt-message.js';
import { hl7InstantMs } from './hl7-time.js';

const message = (msh7: string, pid3: string, pv1 = 'PV1|1|I|a^12^1||||||||||||||||V1') =>
  Hl7Message.parse(
    [
      `MSH|^~\\&|EHR|GENERAL|W|H|${msh7}|secret|ADT^A01^ADT_A01|C1|P|2.5`,
      'EVN|A01|20260115081000',
      `PID|1||${pid3}||Doe^Jo||19500101|F`,
      pv1,
    ].join('\r'),
  );

describe('reading an ADT message', () => {
  it('takes the MRN from the PID-3 repetition typed MR, else the first', () => {
    expect(readAdtMessage(message('20260115081000', 'X1^^^A^PI~M7^^^A^MR')).patient.mrn).toBe('M7');
    expect(readAdtMessage(message('20260115081000', 'X1^^^A^PI')).patient.mrn).toBe('X1');
  });

  it('reads HL7 times with their offset, and without one as UTC', () => {
    expect(hl7InstantMs('20260115081000+0100', 'EVN-2')).toBe(Date.UTC(2026, 0, 15, 7, 10, 0));
    expect(hl7InstantMs('20260115081000', 'EVN-2')).toBe(Date.UTC(2026, 0, 15, 8, 10, 0));
    expect(() => hl7InstantMs('2026-01-15', 'EVN-2')).toThrow(/EVN-2/);
  });

  it('hashes a resend with another send time the same, and a changed message differently', () => {
    const first = readAdtMessage(message('20260115081000', 'M7^^^A^MR'));
    expect(readAdtMessage(message('20260115091500', 'M7^^^A^MR')).contentHash).toBe(first.contentHash);
    expect(readAdtMessage(message('20260115081000', 'M8^^^A^MR')).contentHash).not.toBe(first.contentHash);
  });

  it('keeps the duplicate keys of earlier hub versions: the same hash from the received text or the parsed message', () => {
    // Hashes recorded by earlier hub versions (kept for days): a resend after an upgrade must still match.
    const texts: [string, string][] = [
      [
        [
          'MSH|^~\\&|EHR|GENERAL|W|H|20260115081000|secret|ADT^A01^ADT_A01|C1|P|2.5',
          'EVN|A01|20260115081000',
          'PID|1||M7^^^A^MR~X1^^^A^PI||Doe^Jo||19500101|F',
          'PV1|1|I|a^12^1||||||||||||||||V1',
        ].join('\r'),
        '5a39c20adee1a6eca70e574129918a49e03fafbd53eb944079759ec801fb0704',
      ],
      [
        [
          'MSH#^~\\&#EHR#GENERAL#W#H#20260115081000#secret#ADT^A02^ADT_A02#C2#P#2.5',
          'EVN#A02#20260115081000',
          'PID#1##M7^^^A^MR##D\\T\\oe^Jo&x##19500101#F##',
          'PV1#1#I#b^3^2################V1',
        ].join('\r\n'),
        'b33b7894915f3c21d9898b63c28a6e76d60244ca830f51922297e1fa33fec297',
      ],
    ];
    for (const [text, recorded] of texts) {
      expect(readAdtMessage(parseHl7(text)).contentHash).toBe(recorded);
      expect(readAdtMessage(Hl7Message.parse(text)).contentHash).toBe(recorded);
    }
  });

  it('refuses a ward, room or bed code that could not be a Location id', () => {
    expect(() => readAdtMessage(message('20260115081000', 'M7^^^A^MR', 'PV1|1|I|a/../b^1^1||||||||||||||||V1'))).toThrow(
      expect.objectContaining({ code: 'BAD_VALUE' }),
    );
  });
});
