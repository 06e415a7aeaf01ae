// The acknowledgement of one message (original acknowledgement mode): AA once applied and committed,
// AE or AR with the reason in MSA-3 and an ERR segment (ERR-2 where, ERR-3 HL7 table 0357, ERR-4
// severity, ERR-8 the text) otherwise. Built with @medplum/core, sent on the same connection.
import { Hl7Message, Hl7Segment } from '@medplum/core';
import type { AdtError } from './adt-error.js';

/** Field text without the message's delimiters (an HL7 reason must not break the ACK apart). */
function plain(value: string, message: Hl7Message): string {
  const reserved = new Set([...message.context.getMsh1(), ...message.context.getMsh2(), '\r', '\n']);
  return [...value]
    .map((char) => (reserved.has(char) ? ' ' : char))
    .join('')
    .slice(0, 400);
}

export function acceptAck(message: Hl7Message, note?: string): Hl7Message {
  const ack = message.buildAck({ ackCode: 'AA' });
  if (note) ack.getSegment('MSA')?.setField(3, plain(note, message));
  return ack;
}

/** ERR-2 (ERL): `PV1-3` → `PV1^1^3`, `PID` → `PID`. */
function errorLocation(location: string | undefined, c: string): string {
  if (!location) return '';
  const [segment, field] = location.split('-');
  return field ? `${segment}${c}1${c}${field}` : segment!;
}

export function refusalAck(message: Hl7Message, error: AdtError): Hl7Message {
  const { ack: code, condition, location } = error.refusal;
  const text = plain(error.message, message);
  const c = message.context.getMsh2().charAt(0);
  const err = new Hl7Segment(
    ['ERR', '', errorLocation(location, c), `${condition}${c}${c}HL70357`, 'E', '', '', '', text],
    message.context,
  );
  const ack = message.buildAck({ ackCode: code, errSegment: err });
  ack.getSegment('MSA')?.setField(3, text);
  return ack;
}

/** The answer to bytes that are not an HL7 message at all (no MSH to answer to): AR, no control id. */
export function unreadableAck(reason: string): Hl7Message {
  const ack = Hl7Message.parse(
    `MSH|^~\\&|WARDLINE|HUB|||${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}||ACK|${Date.now()}|P|2.5`,
  );
  ack.segments.push(new Hl7Segment(['MSA', 'AR', '', reason], ack.context));
  ack.segments.push(new Hl7Segment(['ERR', '', '', '100^^HL70357', 'E', '', '', '', reason], ack.context));
  return ack;
}
