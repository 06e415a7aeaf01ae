// The audit-ingest room's one error class: a stable code, the HTTP status of a refused entry or
// request, and a message IT can act on. Never the content of an audit event.
import { WardlineError } from '../../shared/errors/index.js';

export type AuditIngestErrorCode =
  | 'AUDIT_EVENT_INVALID'
  | 'AUDIT_CHAIN_MISSING'
  | 'AUDIT_EVENT_CONFLICT'
  | 'AUDIT_WRONG_DEVICE'
  | 'CHECKPOINT_INVALID'
  | 'CHECKPOINT_SIGNATURE_INVALID';

export class AuditIngestError extends WardlineError<AuditIngestErrorCode> {
  override readonly name = 'AuditIngestError';
  constructor(
    code: AuditIngestErrorCode,
    message: string,
    readonly httpStatus: number = 400,
  ) {
    super(code, message);
  }
}
