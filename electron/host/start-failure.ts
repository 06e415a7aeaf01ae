// What the person at the workstation reads when Wardline refuses to start: a room's own message
// (written for them and for IT, never patient data) with its code, or a pointer to the log.
import { isWardlineError } from '../../shared/errors/index.js';

export function startFailureMessage(error: unknown): string {
  if (isWardlineError(error)) return `${error.message}\n\n(${error.name} ${error.code})`;
  const kind = error instanceof Error ? error.name : typeof error;
  return `Wardline could not start because of an unexpected ${kind}. The details are in logs/wardline.log in Wardline's data folder. Call IT.`;
}
