// The print room's own error: a print request it cannot turn into a document (a window that runs
// backwards or is too long to print, a patient the chart cache does not hold), or one it could not
// deliver (saved as PDF, handed to the print dialog). No patient data.
import { WardlineError } from '../../shared/errors/index.js';

export type PrintErrorCode = 'INVALID_WINDOW' | 'NOT_IN_CACHE' | 'NOT_SAVED' | 'PRINT_DIALOG_FAILED';

export class PrintError extends WardlineError<PrintErrorCode> {
  override readonly name = 'PrintError';

  constructor(code: PrintErrorCode, message: string) {
    super(code, message);
  }
}
