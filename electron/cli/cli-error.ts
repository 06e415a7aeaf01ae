// The CLI's own error: a usage mistake or a refusal, shown as one line with a non-zero exit.

export type CliErrorCode = 'USAGE' | 'UNKNOWN_COMMAND' | 'DEMO_HUB_FAILED' | 'WIPE_REFUSED';

export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly exitCode: number;

  constructor(code: CliErrorCode, message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
  }
}
