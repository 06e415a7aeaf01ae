// What a failed request tells the window. A room's error (it extends WardlineError) passes with its
// stable code and its message, which the room wrote for the person at the screen. Anything else
// (SQLite, Node, a bug) is unexpected: the window reads one plain sentence and the INTERNAL code,
// never the raw message (it may quote a path, a query or data); the log keeps, for IT, the error's
// class, its own code and where it was thrown — without the message, so without patient data.
import type { Logger } from 'pino';
import { IPC_ERROR_CODES, type IpcError } from '../../shared/contract/index.js';
import { describeUnexpected, isWardlineError, UNEXPECTED_ERROR_MESSAGE } from '../../shared/errors/index.js';

/** The answer the window gets for `error`, thrown while serving `channel`; logs the unexpected ones. */
export function ipcErrorOf(error: unknown, channel: string, logger: Logger): IpcError {
  if (isWardlineError(error)) return { code: error.code, message: error.message };
  logger.error({ event: 'ipc.handler_failed', channel, ...describeUnexpected(error) }, 'IPC handler failed unexpectedly');
  return unexpectedIpcError();
}

/** The INTERNAL answer: one plain sentence and its code. */
export function unexpectedIpcError(): IpcError {
  return { code: IPC_ERROR_CODES.internal, message: UNEXPECTED_ERROR_MESSAGE };
}
