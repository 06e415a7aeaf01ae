// The host's own error: the pieces it composes do not belong together (the machine policy names
// another hub or ward than this workstation's enrollment).

export type HostErrorCode = 'HUB_MISMATCH' | 'WARD_MISMATCH';

export class HostError extends Error {
  readonly code: HostErrorCode;

  constructor(code: HostErrorCode, message: string) {
    super(message);
    this.name = 'HostError';
    this.code = code;
  }
}
