// The upstream mirror's error: a stable code and a sentence IT can act on, never patient data.
import { WardlineError } from '../../../shared/errors/index.js';

export type UpstreamErrorCode =
  | 'CONFIG_INVALID'
  | 'KEY_INVALID'
  | 'DISCOVERY_FAILED'
  | 'TOKEN_REFUSED'
  | 'UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'REFUSED'
  | 'BAD_RESPONSE'
  | 'LEASE_LOST'
  /** IT's actions on the outbox (`wardline-hub upstream retry|close`): the entry named cannot take it. */
  | 'ENTRY_UNKNOWN'
  | 'ENTRY_DELIVERED'
  | 'ENTRY_SETTLED'
  | 'ENTRY_CLOSED'
  | 'ENTRY_CONFLICT';

export class UpstreamError extends WardlineError<UpstreamErrorCode> {
  override readonly name = 'UpstreamError';
  /** HTTP status of the upstream's answer, when there was one. */
  readonly status: number | undefined;
  /** Milliseconds the upstream asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(code: UpstreamErrorCode, message: string, details: { status?: number; retryAfterMs?: number } = {}) {
    super(code, message);
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}
