// The TLS room's error class: a stable code and a message IT can act on.
import { WardlineError } from '../../shared/errors/index.js';

export type TlsErrorCode = 'TLS_FILES_UNREADABLE' | 'TLS_FILES_INVALID' | 'TLS_NOT_CONFIGURED' | 'TLS_DEV_KEY_UNREADABLE';

export class TlsError extends WardlineError<TlsErrorCode> {
  override readonly name = 'TlsError';
  constructor(code: TlsErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
