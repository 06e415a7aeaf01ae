// The CLI's own error: a usage mistake or a refusal, shown as one line with a non-zero exit.
import { WardlineError } from '../../shared/errors/index.js';

export type CliErrorCode = 'USAGE' | 'UNKNOWN_COMMAND' | 'DEMO_HUB_FAILED' | 'DEMO_FAILED' | 'WIPE_REFUSED';

export class CliError extends WardlineError<CliErrorCode> {
  override readonly name = 'CliError';
  readonly exitCode: number;

  constructor(code: CliErrorCode, message: string, exitCode = 2) {
    super(code, message);
    this.exitCode = exitCode;
  }
}
