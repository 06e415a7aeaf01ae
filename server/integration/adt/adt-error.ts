// The ADT feed's one error class: why a message was not applied, as the sender sees it in the ACK
// (MSA-1 AE or AR, ERR-3 from HL7 table 0357, the text in MSA-3 and ERR-8). Never patient data.
import { WardlineError } from '../../../shared/errors/index.js';

export type AdtErrorCode =
  | 'MALFORMED'
  | 'MISSING_FIELD'
  | 'BAD_VALUE'
  | 'UNSUPPORTED_MESSAGE'
  | 'UNSUPPORTED_EVENT'
  | 'NOT_AUTHORIZED'
  | 'UNKNOWN_WARD'
  | 'UNKNOWN_PATIENT'
  | 'UNKNOWN_VISIT'
  | 'OUT_OF_ORDER'
  | 'CONFLICT'
  | 'MERGE_REFUSED'
  | 'NOT_STORED';

/** HL7 table 0357 (message error condition codes). */
export type Hl7ErrorCondition = '100' | '101' | '102' | '103' | '200' | '201' | '204' | '205' | '207';

export interface AdtRefusal {
  /** AR: the message itself is unacceptable (resending it unchanged fails again); AE: the hub's state refused it. */
  readonly ack: 'AE' | 'AR';
  readonly condition: Hl7ErrorCondition;
  /** Where in the message, e.g. `PV1-3` (ERR-2), when one field is at fault. */
  readonly location?: string;
}

const REFUSALS: Record<AdtErrorCode, AdtRefusal> = {
  MALFORMED: { ack: 'AR', condition: '100' },
  MISSING_FIELD: { ack: 'AR', condition: '101' },
  BAD_VALUE: { ack: 'AR', condition: '102' },
  UNSUPPORTED_MESSAGE: { ack: 'AR', condition: '200' },
  UNSUPPORTED_EVENT: { ack: 'AR', condition: '201' },
  NOT_AUTHORIZED: { ack: 'AR', condition: '207' },
  UNKNOWN_WARD: { ack: 'AE', condition: '103' },
  UNKNOWN_PATIENT: { ack: 'AE', condition: '204' },
  UNKNOWN_VISIT: { ack: 'AE', condition: '204' },
  OUT_OF_ORDER: { ack: 'AE', condition: '207' },
  CONFLICT: { ack: 'AE', condition: '205' },
  MERGE_REFUSED: { ack: 'AE', condition: '207' },
  NOT_STORED: { ack: 'AE', condition: '207' },
};

export class AdtError extends WardlineError<AdtErrorCode> {
  override readonly name = 'AdtError';
  readonly refusal: AdtRefusal;

  constructor(code: AdtErrorCode, message: string, location?: string) {
    super(code, message);
    this.refusal = { ...REFUSALS[code], ...(location ? { location } : {}) };
  }
}
