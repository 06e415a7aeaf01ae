// One ADT message as the hub needs it, read from @medplum/core's HL7 v2 parser: the header (sender,
// control id, the feed's secret in MSH-8), the event and when it happened, the patient (PID), the
// visit (PV1: class, ward^room^bed, visit number and who assigned it, admit and discharge times) and, for a merge, the
// prior patient (MRG). Every value is checked here; nothing unchecked reaches the store.
import { createHash } from 'node:crypto';
import { Hl7Message, type Hl7Segment } from '@medplum/core';
import { AdtError } from './adt-error.js';
import { hl7Date, hl7InstantMs } from './hl7-time.js';

export const ADT_EVENTS = ['A01', 'A02', 'A03', 'A04', 'A08', 'A11', 'A12', 'A13', 'A40'] as const;
export type AdtEvent = (typeof ADT_EVENTS)[number];

/** Events that need a visit (PV1-19) and act on its Encounter. */
const VISIT_EVENTS: readonly AdtEvent[] = ['A01', 'A02', 'A03', 'A04', 'A11', 'A12', 'A13'];

/** Codes the hub turns into Location ids (`ward-{ward}-room-{room}-bed-{bed}`) and identifiers. */
const CODE = /^[A-Za-z0-9.-]{1,24}$/;
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

function text(segment: Hl7Segment | undefined, field: number, component = 1, repetition = 0): string {
  return segment?.getComponent(field, component, undefined, repetition).trim() ?? '';
}

function required(segment: Hl7Segment | undefined, name: string, field: number, component = 1): string {
  const value = text(segment, field, component);
  if (!value) throw new AdtError('MISSING_FIELD', `${name}-${field} is required for this message and is empty.`, `${name}-${field}`);
  return value;
}

function checked(value: string, pattern: RegExp, where: string, what: string): string {
  if (!pattern.test(value))
    throw new AdtError('BAD_VALUE', `${where} (${what}) holds characters or a length the hub does not accept.`, where);
  return value;
}

/** The header alone (enough to answer, and to authenticate), or MALFORMED. */
export function readHeader(message: Hl7Message): AdtHeader {
  const msh = message.getSegment('MSH');
  if (!msh || message.segments[0] !== msh) throw new AdtError('MALFORMED', 'The message does not start with an MSH segment.', 'MSH');
  return {
    application: text(msh, 3),
    facility: text(msh, 4),
    controlId: text(msh, 10),
    security: msh.getField(8)?.toString() ?? '',
  };
}

/** PID-3 or MRG-1: the repetition whose identifier type (CX-5) is MR, else the first. */
function mrnOf(segment: Hl7Segment, field: number, where: string): string {
  const repetitions = segment.getField(field)?.components.length ?? 0;
  let mrn = '';
  for (let r = 0; r < repetitions; r++) {
    const value = text(segment, field, 1, r);
    if (!value) continue;
    if (!mrn) mrn = value;
    if (text(segment, field, 5, r).toUpperCase() === 'MR') {
      mrn = value;
      break;
    }
  }
  if (!mrn) throw new AdtError('MISSING_FIELD', `${where} (the patient's medical record number) is required and is empty.`, where);
  return checked(mrn, IDENTIFIER, where, 'medical record number');
}

const GENDERS: Record<string, AdtPatient['gender']> = { M: 'male', F: 'female', O: 'other', A: 'other', U: 'unknown', N: 'unknown' };

function patientOf(pid: Hl7Segment): AdtPatient {
  const family = text(pid, 5, 1);
  const given = [text(pid, 5, 2), text(pid, 5, 3)].filter((name) => name !== '');
  const birth = text(pid, 7);
  const sex = text(pid, 8).toUpperCase();
  if (sex && GENDERS[sex] === undefined) throw new AdtError('BAD_VALUE', 'PID-8 (administrative sex) is not M, F, O, A, U or N.', 'PID-8');
  return {
    mrn: mrnOf(pid, 3, 'PID-3'),
    ...(family ? { family } : {}),
    given,
    ...(birth ? { birthDate: hl7Date(birth, 'PID-7') } : {}),
    ...(sex ? { gender: GENDERS[sex] } : {}),
  };
}

/** PV1-19's assigning authority (CX-4: HD namespace id, else universal id), or ''. */
function visitAuthorityOf(pv1: Hl7Segment): string {
  const namespace = pv1.getComponent(19, 4, 0).trim();
  const universal = pv1.getComponent(19, 4, 1).trim();
  const authority = namespace || universal;
  if (authority.length > 64)
    throw new AdtError('BAD_VALUE', 'PV1-19 (visit number) names an assigning authority longer than 64 characters.', 'PV1-19');
  return authority;
}

function visitOf(pv1: Hl7Segment, facility: string): AdtVisit {
  const ward = text(pv1, 3, 1);
  const room = text(pv1, 3, 2);
  const bed = text(pv1, 3, 3);
  if (!ward && (room || bed)) throw new AdtError('MISSING_FIELD', 'PV1-3 names a room or bed but no ward (point of care).', 'PV1-3');
  const admit = text(pv1, 44);
  const discharge = text(pv1, 45);
  return {
    visitNumber: checked(required(pv1, 'PV1', 19), IDENTIFIER, 'PV1-19', 'visit number'),
    authority: visitAuthorityOf(pv1) || facility,
    patientClass: text(pv1, 2).toUpperCase(),
    ...(ward
      ? {
          location: {
            ward: checked(ward, CODE, 'PV1-3', 'ward'),
            ...(room ? { room: checked(room, CODE, 'PV1-3', 'room') } : {}),
            ...(bed ? { bed: checked(bed, CODE, 'PV1-3', 'bed') } : {}),
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
  const type = text(msh, 9, 1).toUpperCase();
  if (type !== 'ADT')
    throw new AdtError('UNSUPPORTED_MESSAGE', `The hub takes ADT messages only on this port, not ${type || 'an empty MSH-9'}.`, 'MSH-9');
  const evn = message.getSegment('EVN');
  const trigger = (text(msh, 9, 2) || text(evn, 1)).toUpperCase();
  if (!(ADT_EVENTS as readonly string[]).includes(trigger)) {
    throw new AdtError(
      'UNSUPPORTED_EVENT',
      `The hub does not handle ADT event ${trigger || '(none)'}; it takes ${ADT_EVENTS.join(', ')}.`,
      'MSH-9',
    );
  }
  const event = trigger as AdtEvent;
  const occurred = text(evn, 6) || text(evn, 2);
  const sent = text(msh, 7);
  if (!occurred && !sent) throw new AdtError('MISSING_FIELD', 'The message has no event time (EVN-6, EVN-2) nor MSH-7.', 'EVN-2');
  const eventMs = occurred ? hl7InstantMs(occurred, text(evn, 6) ? 'EVN-6' : 'EVN-2') : hl7InstantMs(sent, 'MSH-7');
  const pid = message.getSegment('PID');
  if (!pid) throw new AdtError('MISSING_FIELD', 'The PID segment is required and is missing.', 'PID');
  const pv1 = message.getSegment('PV1');
  let visit: AdtVisit | null = null;
  if (VISIT_EVENTS.includes(event)) {
    if (!pv1) throw new AdtError('MISSING_FIELD', `An ${event} needs a PV1 segment with the visit number (PV1-19).`, 'PV1');
    visit = visitOf(pv1, header.facility);
  }
  let priorMrn: string | null = null;
  if (event === 'A40') {
    const mrg = message.getSegment('MRG');
    if (!mrg) throw new AdtError('MISSING_FIELD', 'An A40 needs an MRG segment naming the prior patient (MRG-1).', 'MRG');
    priorMrn = mrnOf(mrg, 1, 'MRG-1');
  }
  return { header, event, eventMs, patient: patientOf(pid), visit, priorMrn, contentHash: contentHashOf(message) };
}
