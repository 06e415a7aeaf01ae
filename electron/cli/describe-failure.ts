// Turns anything thrown by a command into one line and an exit code. Room errors carry messages
// written for IT (and never patient data); anything else is reported by its class only.
import { isWardlineError } from '../../shared/errors/index.js';
import { CliError } from './cli-error.js';

export interface Failure {
  readonly message: string;
  readonly exitCode: number;
}

export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (isWardlineError(error)) return { message: `${error.message} [${error.code}]`, exitCode: 1 };
  const kind = error instanceof Error ? error.name : typeof error;
  return { message: `unexpected ${kind}; details are in logs/wardline.log in the data directory`, exitCode: 1 };
}
