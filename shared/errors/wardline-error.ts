// The one base class of Wardline's errors. A subclass names its room (`name`) and narrows `code`
// to the room's stable codes; the message is written for the person who must act on it.

export abstract class WardlineError<Code extends string = string> extends Error {
  override name = 'WardlineError';
  /** Stable, machine-readable: screens, tests and IT scripts match on it, never on the message. */
  readonly code: Code;

  protected constructor(code: Code, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** True for any room's error (optionally with the given code): its message is meant to be shown. */
export function isWardlineError(error: unknown, code?: string): error is WardlineError {
  return error instanceof WardlineError && (code === undefined || error.code === code);
}
