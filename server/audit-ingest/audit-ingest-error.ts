// The audit-ingest room's one error class: a stable code, the HTTP status of a refused entry or
// request, and a message IT can act on. Never the content of an audit event.

export type AuditIngestErrorCode =
  | 'AUDIT_EVENT_INVALID'
  | 'AUDIT_CHAIN_MISSING'
  | 'AUDIT_EVENT_CONFLICT'
  | 'AUDIT_WRONG_DEVICE'
  | 'CHECKPOINT_INVALID'
  | 'CHECKPOINT_SIGNATURE_INVALID';

export class AuditIngestError extends Error {
  override readonly name = 'AuditIngestError';
  constructor(
    readonly code: AuditIngestErrorCode,
    message: string,
    readonly httpStatus: number = 400,
  ) {
    super(message);
  }
}
