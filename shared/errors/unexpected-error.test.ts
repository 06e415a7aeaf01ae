import { describe, expect, it } from 'vitest';
import { describeUnexpected, UNEXPECTED_ERROR_CODE, UNEXPECTED_ERROR_MESSAGE } from './unexpected-error.js';
import { isWardlineError, WardlineError } from './wardline-error.js';

class ExampleRoomError extends WardlineError<'EXAMPLE_REFUSED'> {
  override readonly name = 'ExampleRoomError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('EXAMPLE_REFUSED', message, options);
  }
}

/** What better-sqlite3 throws: a class named SqliteError with a string code and a message that may quote data. */
class SqliteError extends Error {
  override readonly name = 'SqliteError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

describe('a room error', () => {
  it('is recognised by its class, keeps its code, message and cause', () => {
    const cause = new Error('socket hang up');
    const error = new ExampleRoomError('The hub refused the request. Call IT.', { cause });
    expect(isWardlineError(error)).toBe(true);
    expect(isWardlineError(error, 'EXAMPLE_REFUSED')).toBe(true);
    expect(isWardlineError(error, 'OTHER')).toBe(false);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'ExampleRoomError', code: 'EXAMPLE_REFUSED', message: 'The hub refused the request. Call IT.' });
    expect(error.cause).toBe(cause);
  });

  it('is not faked by an error that only looks like one (a name ending in Error and a code)', () => {
    expect(isWardlineError(new SqliteError('UNIQUE constraint failed: patients.mrn', 'SQLITE_CONSTRAINT_UNIQUE'))).toBe(false);
    expect(isWardlineError({ name: 'SessionError', code: 'LOCKED', message: 'locked' })).toBe(false);
  });
});

describe('an unexpected error', () => {
  it('reaches the user as one plain sentence with its code', () => {
    expect(UNEXPECTED_ERROR_MESSAGE).toMatch(/^[^.;]*;[^.]*\. \(INTERNAL\)$/);
    expect(UNEXPECTED_ERROR_MESSAGE).toContain(`(${UNEXPECTED_ERROR_CODE})`);
  });

  it('is described for the log by class, own code and frames, never by its message', () => {
    const parse = new SyntaxError('Unexpected token \'J\', "Jane Synthetic-Doe" is not valid JSON');
    const error = new SqliteError('SQLITE_CORRUPT: database disk image is malformed near "Jane"', 'SQLITE_CORRUPT');
    (error as { cause?: unknown }).cause = parse;
    const report = describeUnexpected(error);
    expect(report).toMatchObject({
      errorClass: 'SqliteError',
      errorCode: 'SQLITE_CORRUPT',
      causes: [{ errorClass: 'SyntaxError', errorCode: null }],
    });
    expect(report.frames.length).toBeGreaterThan(0);
    expect(report.frames.every((frame) => frame.startsWith('at '))).toBe(true);
    expect(JSON.stringify(report)).not.toContain('Jane');
    expect(describeUnexpected('a thrown string with data')).toEqual({ errorClass: 'string', errorCode: null, frames: [], causes: [] });
  });
});
