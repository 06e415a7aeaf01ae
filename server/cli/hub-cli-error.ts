// The CLI room's error: a stable code and one line telling the operator what to do.

export type HubCliErrorCode =
  | 'USAGE'
  | 'PASSWORD_MISSING'
  | 'PASSWORD_MISMATCH'
  | 'PORT_IN_USE'
  | 'DATA_DIR_UNUSABLE'
  | 'KEY_MISSING'
  | 'KEY_EXISTS'
  | 'KEY_INVALID'
  | 'KEY_FILE_UNSAFE'
  | 'KEY_UNAVAILABLE';

export class HubCliError extends Error {
  override readonly name = 'HubCliError';
  constructor(
    readonly code: HubCliErrorCode,
    message: string,
  ) {
    super(message);
  }
}
