// The print room's own error: a print request it cannot turn into a document (a window that runs
// backwards or is too long to print, a patient the chart cache does not hold). No patient data.
import { WardlineError } from '../../shared/errors/index.js';

export type PrintErrorCode = 'INVALID_WINDOW' | 'NOT_IN_CACHE';

export class PrintError extends WardlineError<PrintErrorCode> {
  override readonly name = 'PrintError';

  constructor(code: PrintErrorCode, message: string) {
    super(code, message);
  }
}
