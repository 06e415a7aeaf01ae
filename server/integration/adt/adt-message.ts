// One ADT message as the hub needs it, read from @medplum/core's HL7 v2 parser: the header (sender,
// control id, the feed's secret in MSH-8), the event and when it happened, the patient (PID), the
// visit (PV1: class, ward^room^bed, visit number and who assigned it, admit and discharge times) and, for a merge, the
// prior patient (MRG). Field text is decoded here (HL7 escape sequences, hl7-text.ts), then checked;
// nothing unchecked reaches the store.
import { createHash } from 'node:crypto';
import { Hl7Message, type Hl7Segment } from '@medplum/core';
import { WARD_CODE_PATTERN } from '../../../shared/fhir/index.js';
import { AdtError } from './adt-error.js';
import { hl7Date, hl7InstantMs } from './hl7-time.js';
import { charsetDecoder, unescapeHl7, type Hl7TextContext } from './hl7-text.js';

export const ADT_EVENTS = ['A01', 'A02', 'A03', 'A04', 'A08', 'A11', 'A12', 'A13', 'A40'] as const;
export type AdtEvent = (typeof ADT_EVENTS)[number];

/** Events that need a visit (PV1-19) and act on its Encounter. */
const VISIT_EVENTS: readonly AdtEvent[] = ['A01', 'A02', 'A03', 'A04', 'A11', 'A12', 'A13'];

/**
 * Codes the hub turns into Location ids (`ward-{ward}-room-{room}-bed-{bed}`) and identifiers: a ward,
 * room or bed code follows the ward code rule of `wardline-hub ward add` (shared/fhir).
 */
const CODE = WARD_CODE_PATTERN;
const IDENTIFIER = /^[A-Za-z0-9.\-_/:]{1,64}$/;

export interface AdtHeader {
  readonly application: string;
  readonly facility: string;
  readonly controlId: string;
  /** MSH-8: the feed's secret. */
  readonly security: string;
}

export interface AdtPatient {
  readonly mrn: string;
  readonly family?: string;
  readonly given: readonly string[];
  readonly birthDate?: string;
  readonly gender?: 'male' | 'female' | 'other' | 'unknown';
}

export interface AdtLocation {
  readonly ward: string;
  readonly room?: string;
  readonly bed?: string;
}

export interface AdtVisit {
  readonly visitNumber: string;
  /**
   * Who assigned the visit number: PV1-19's assigning authority (CX-4, its namespace id or else its
   * universal id), else the sending facility (MSH-4). Visit numbers are unique per authority only.
   */
  readonly authority: string;
  /** PV1-2: I inpatient, O outpatient, E emergency, … */
  readonly patientClass: string;
  readonly location?: AdtLocation;
  readonly admitMs?: number;
  readonly dischargeMs?: number;
}

export interface AdtMessage {
  readonly header: AdtHeader;
  readonly event: AdtEvent;
  /** When the event happened (EVN-6, else EVN-2, else MSH-7): the per-patient order. */
  readonly eventMs: number;
  readonly patient: AdtPatient;
  readonly visit: AdtVisit | null;
  /** A40: the prior patient's MRN (MRG-1), merged into `patient`. */
  readonly priorMrn: string | null;
  /** SHA-256 of the message without MSH-7 (time sent) and MSH-8 (secret): a resend hashes the same. */
  readonly contentHash: string;
}

/** How a message's field text is decoded (hl7-text.ts): its delimiters and character set. */
type Reading = Hl7TextContext;

function readingOf(message: Hl7Message): Reading {
  return { delimiters: message.context, decoder: charsetDecoder(raw(message.header, 18)) };
}

/** A component (or one subcomponent) as sent, escapes not decoded. */
function raw(segment: Hl7Segment | undefined, field: number, component = 1, repetition = 0, subcomponent?: number): string {
  return segment?.getComponent(field, component, subcomponent, repetition).trim() ?? '';
}

/** A component's text, its HL7 escape sequences decoded (hl7-text.ts). */
function text(
  reading: Reading,
  segment: Hl7Segment | undefined,
  field: number,
  component = 1,
  repetition = 0,
  subcomponent?: number,
): string {
  const value = raw(segment, field, component, repetition, subcomponent);
  return segment ? unescapeHl7(value, reading, `${segment.name}-${field}`).trim() : value;
}

function required(reading: Reading, segment: Hl7Segment | undefined, name: string, field: number, component = 1): string {
  const value = text(reading, segment, field, component);
  if (!value) throw new AdtError('MISSING_FIELD', `${name}-${field} is required for this message and is empty.`, `${name}-${field}`);
  return value;
}

/**
 * `value` (decoded) if it matches `pattern`. A field that held an escape sequence decoding to a
 * character its kind cannot hold (a delimiter in a ward code) is refused saying so.
 */
function checked(value: string, pattern: RegExp, where: string, what: string, escaped = false): string {
  if (!pattern.test(value)) {
    const why = escaped ? 'an escape sequence that decodes to a character or length' : 'characters or a length';
    throw new AdtError('BAD_VALUE', `${where} (${what}) holds ${why} the hub does not accept.`, where);
  }
  return value;
}

/** Whether the component was sent with an escape sequence in it. */
function hasEscape(reading: Reading, segment: Hl7Segment, field: number, component = 1, repetition = 0): boolean {
  return raw(segment, field, component, repetition).includes(reading.delimiters.escapeCharacter);
}

/** The header alone (enough to answer, and to authenticate), or MALFORMED. */
export function readHeader(message: Hl7Message): AdtHeader {
  const msh = message.getSegment('MSH');
  if (!msh || message.segments[0] !== msh) throw new AdtError('MALFORMED', 'The message does not start with an MSH segment.', 'MSH');
  // The sender's names and the control id are compared and echoed as sent (not decoded).
  return {
    application: raw(msh, 3),
    facility: raw(msh, 4),
    controlId: raw(msh, 10),
    security: msh.getField(8)?.toString() ?? '',
  };
}

/** PID-3 or MRG-1: the repetition whose identifier type (CX-5) is MR, else the first. */
function mrnOf(reading: Reading, segment: Hl7Segment, field: number, where: string): string {
  const repetitions = segment.getField(field)?.components.length ?? 0;
  let mrn = '';
  let at = -1;
  for (let r = 0; r < repetitions; r++) {
    const value = text(reading, segment, field, 1, r);
    if (!value) continue;
    if (!mrn) [mrn, at] = [value, r];
    if (text(reading, segment, field, 5, r).toUpperCase() === 'MR') {
      [mrn, at] = [value, r];
      break;
    }
  }
  if (!mrn) throw new AdtError('MISSING_FIELD', `${where} (the patient's medical record number) is required and is empty.`, where);
  return checked(mrn, IDENTIFIER, where, 'medical record number', hasEscape(reading, segment, field, 1, at));
}

const GENDERS: Record<string, AdtPatient['gender']> = { M: 'male', F: 'female', O: 'other', A: 'other', U: 'unknown', N: 'unknown' };

function patientOf(reading: Reading, pid: Hl7Segment): AdtPatient {
  const family = text(reading, pid, 5, 1);
  const given = [text(reading, pid, 5, 2), text(reading, pid, 5, 3)].filter((name) => name !== '');
  const birth = text(reading, pid, 7);
  const sex = text(reading, pid, 8).toUpperCase();
  if (sex && GENDERS[sex] === undefined) throw new AdtError('BAD_VALUE', 'PID-8 (administrative sex) is not M, F, O, A, U or N.', 'PID-8');
  return {
    mrn: mrnOf(reading, pid, 3, 'PID-3'),
    ...(family ? { family } : {}),
    given,
    ...(birth ? { birthDate: hl7Date(birth, 'PID-7') } : {}),
    ...(sex ? { gender: GENDERS[sex] } : {}),
  };
}

/** PV1-19's assigning authority (CX-4: HD namespace id, else universal id), or ''. */
function visitAuthorityOf(reading: Reading, pv1: Hl7Segment): string {
  const namespace = text(reading, pv1, 19, 4, 0, 0);
  const universal = text(reading, pv1, 19, 4, 0, 1);
  const authority = namespace || universal;
  if (authority.length > 64)
    throw new AdtError('BAD_VALUE', 'PV1-19 (visit number) names an assigning authority longer than 64 characters.', 'PV1-19');
  return authority;
}

function visitOf(reading: Reading, pv1: Hl7Segment, facility: string): AdtVisit {
  const ward = text(reading, pv1, 3, 1);
  const room = text(reading, pv1, 3, 2);
  const bed = text(reading, pv1, 3, 3);
  const code = (value: string, component: number, what: string): string =>
    checked(value, CODE, 'PV1-3', what, hasEscape(reading, pv1, 3, component));
  if (!ward && (room || bed)) throw new AdtError('MISSING_FIELD', 'PV1-3 names a room or bed but no ward (point of care).', 'PV1-3');
  const admit = text(reading, pv1, 44);
  const discharge = text(reading, pv1, 45);
  return {
    visitNumber: checked(required(reading, pv1, 'PV1', 19), IDENTIFIER, 'PV1-19', 'visit number', hasEscape(reading, pv1, 19)),
    authority: visitAuthorityOf(reading, pv1) || facility,
    patientClass: text(reading, pv1, 2).toUpperCase(),
    ...(ward
      ? {
          location: {
            ward: code(ward, 1, 'ward'),
            ...(room ? { room: code(room, 2, 'room') } : {}),
            ...(bed ? { bed: code(bed, 3, 'bed') } : {}),
          },
        }
      : {}),
    ...(admit ? { admitMs: hl7InstantMs(admit, 'PV1-44') } : {}),
    ...(discharge ? { dischargeMs: hl7InstantMs(discharge, 'PV1-45') } : {}),
  };
}

/** The text each message read by parseHl7 was parsed from (its segments' text, without re-serialising them). */
const sourceText = new WeakMap<Hl7Message, string>();

/** Parses an HL7 v2 message (@medplum/core), remembering its text for the content hash. */
export function parseHl7(text: string): Hl7Message {
  const message = Hl7Message.parse(text);
  sourceText.set(message, text);
  return message;
}

/**
 * SHA-256 of the segments, each followed by CR, with MSH-7 and MSH-8 emptied and the MSH fields
 * joined by `|`. The parser splits the text at CR/LF runs, then at the separators, and its
 * toString joins them back, so the text it was parsed from gives the same segments.
 */
function contentHashOf(message: Hl7Message): string {
  const segments = (sourceText.get(message) ?? message.toString()).split(/[\r\n]+/);
  const fields = segments[0]!.split(message.context.fieldSeparator);
  // fields[0] is "MSH"; MSH-n sits at fields[n - 1].
  fields[6] = '';
  fields[7] = '';
  segments[0] = fields.join('|');
  return createHash('sha256')
    .update(`${segments.join('\r')}\r`)
    .digest('hex');
}

/** Reads an ADT message the hub handles, or throws the AdtError its ACK reports. */
export function readAdtMessage(message: Hl7Message): AdtMessage {
  const header = readHeader(message);
  const msh = message.header;
  if (!header.controlId) throw new AdtError('MISSING_FIELD', 'MSH-10 (message control id) is required and is empty.', 'MSH-10');
  if (!header.application) throw new AdtError('MISSING_FIELD', 'MSH-3 (sending application) is required and is empty.', 'MSH-3');
  // U+FFFD: bytes that are not valid in the declared character set (mllp-framing decodeFrame).
  if ((sourceText.get(message) ?? message.toString()).includes('\uFFFD')) {
    throw new AdtError(
      'BAD_VALUE',
      'The message holds bytes that are not UTF-8; declare its character set in MSH-18 (8859/1, 8859/15 or UNICODE UTF-8).',
      'MSH-18',
    );
  }
  const reading = readingOf(message);
  const type = text(reading, msh, 9, 1).toUpperCase();
  if (type !== 'ADT')
    throw new AdtError('UNSUPPORTED_MESSAGE', `The hub takes ADT messages only on this port, not ${type || 'an empty MSH-9'}.`, 'MSH-9');
  const evn = message.getSegment('EVN');
  const trigger = (text(reading, msh, 9, 2) || text(reading, evn, 1)).toUpperCase();
  if (!(ADT_EVENTS as readonly string[]).includes(trigger)) {
    throw new AdtError(
      'UNSUPPORTED_EVENT',
      `The hub does not handle ADT event ${trigger || '(none)'}; it takes ${ADT_EVENTS.join(', ')}.`,
      'MSH-9',
    );
  }
  const event = trigger as AdtEvent;
  const occurred = text(reading, evn, 6) || text(reading, evn, 2);
  const sent = text(reading, msh, 7);
  if (!occurred && !sent) throw new AdtError('MISSING_FIELD', 'The message has no event time (EVN-6, EVN-2) nor MSH-7.', 'EVN-2');
  const eventMs = occurred ? hl7InstantMs(occurred, text(reading, evn, 6) ? 'EVN-6' : 'EVN-2') : hl7InstantMs(sent, 'MSH-7');
  const pid = message.getSegment('PID');
  if (!pid) throw new AdtError('MISSING_FIELD', 'The PID segment is required and is missing.', 'PID');
  const pv1 = message.getSegment('PV1');
  let visit: AdtVisit | null = null;
  if (VISIT_EVENTS.includes(event)) {
    if (!pv1) throw new AdtError('MISSING_FIELD', `An ${event} needs a PV1 segment with the visit number (PV1-19).`, 'PV1');
    visit = visitOf(reading, pv1, header.facility);
  }
  let priorMrn: string | null = null;
  if (event === 'A40') {
    const mrg = message.getSegment('MRG');
    if (!mrg) throw new AdtError('MISSING_FIELD', 'An A40 needs an MRG segment naming the prior patient (MRG-1).', 'MRG');
    priorMrn = mrnOf(reading, mrg, 1, 'MRG-1');
  }
  return { header, event, eventMs, patient: patientOf(reading, pid), visit, priorMrn, contentHash: contentHashOf(message) };
}
