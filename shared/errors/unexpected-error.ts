// What an error that is not a room's own (SQLite, Node, a bug) becomes: the user reads one plain
// sentence and a code, IT reads a report in the log. Neither carries the raw message, which may
// quote data (a JSON parser quotes its input, a constraint names values): the report keeps the
// error's class, its own code (SQLITE_CORRUPT, ENOSPC …) and where it was thrown.

export const UNEXPECTED_ERROR_CODE = 'INTERNAL';
/** One plain sentence, with the code on screen so IT can be told it. */
export const UNEXPECTED_ERROR_MESSAGE = `Something went wrong on this workstation; try again, and call IT if it keeps happening. (${UNEXPECTED_ERROR_CODE})`;

export interface UnexpectedErrorReport {
  /** The error's class (SqliteError, TypeError …) or the type of what was thrown. */
  readonly errorClass: string;
  /** The error's own code when it has one (SQLite, Node system errors), else null. */
  readonly errorCode: string | null;
  /** The stack's "at …" lines, without the message line. */
  readonly frames: readonly string[];
  /** The same, for the chain of causes. */
  readonly causes: readonly UnexpectedErrorReport[];
}

const MAX_FRAMES = 12;
const MAX_CAUSES = 3;
const PRINTABLE_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** A log-safe description of anything thrown: class, code and stack frames, never the message. */
export function describeUnexpected(error: unknown): UnexpectedErrorReport {
  return describe(error, 0);
}

function describe(error: unknown, depth: number): UnexpectedErrorReport {
  if (!(error instanceof Error)) {
    return { errorClass: error === null ? 'null' : typeof error, errorCode: null, frames: [], causes: [] };
  }
  const code = (error as { code?: unknown }).code;
  return {
    errorClass: PRINTABLE_CODE.test(error.name) ? error.name : 'Error',
    errorCode: typeof code === 'string' && PRINTABLE_CODE.test(code) ? code : null,
    frames: framesOf(error.stack),
    causes: depth < MAX_CAUSES && error.cause !== undefined ? [describe(error.cause, depth + 1)] : [],
  };
}

function framesOf(stack: string | undefined): string[] {
  if (stack === undefined) return [];
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MAX_FRAMES)
    .map((line) => line.trim());
}
