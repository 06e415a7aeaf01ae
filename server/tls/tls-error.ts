// The TLS room's error class: a stable code and a message IT can act on.

export type TlsErrorCode = 'TLS_FILES_UNREADABLE' | 'TLS_FILES_INVALID' | 'TLS_NOT_CONFIGURED';

export class TlsError extends Error {
  override readonly name = 'TlsError';
  constructor(
    readonly code: TlsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
