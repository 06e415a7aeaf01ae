// How a printed document leaves the host (issue 16: printing without a trace). A port, so the host
// never asks "am I in Electron?": Electron hands in its print dialog (electron/window), a machine
// policy that allows saving as PDF gets the printouts folder, and evaluation mode (a browser over
// loopback) gets the PDF back to show in the page from memory. None of them writes a file outside
// Wardline's data folder, and the printouts folder is removed by wipe.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrintError } from './print-error.js';

/** A rendered document: its bytes and its file name (never a patient's name). */
export interface RenderedDocument {
  readonly bytes: Uint8Array;
  readonly fileName: string;
}

export type DeliveredDocument =
  | { readonly delivery: 'in-page'; readonly fileName: string; readonly base64: string }
  | { readonly delivery: 'print-dialog' }
  | { readonly delivery: 'pdf-file'; readonly fileName: string };

export interface PrintDelivery {
  /** What the audit trail records as the way the document went out. */
  readonly kind: DeliveredDocument['delivery'];
  deliver(document: RenderedDocument): Promise<DeliveredDocument>;
}

/** Evaluation mode: the PDF goes back to the page, which shows it from memory (no download). */
export const inPageDelivery: PrintDelivery = {
  kind: 'in-page',
  deliver: async ({ bytes, fileName }) => ({ delivery: 'in-page', fileName, base64: Buffer.from(bytes).toString('base64') }),
};

export const PRINTOUTS_FOLDER_NAME = 'printouts';

/** Where saved PDFs go: inside the data folder, which wipe clears. */
export function printoutsFolder(dataDir: string): string {
  return join(dataDir, PRINTOUTS_FOLDER_NAME);
}

/** Where the machine policy allows saving as PDF: a file readable by this OS user only, in the printouts folder. */
export function pdfFolderDelivery(dataDir: string): PrintDelivery {
  return {
    kind: 'pdf-file',
    deliver: async ({ bytes, fileName }) => {
      const folder = printoutsFolder(dataDir);
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      // Two prints in one second share a time stamp: a short random part keeps both.
      const name = fileName.replace(/\.pdf$/, `-${randomBytes(3).toString('hex')}.pdf`);
      try {
        writeFileSync(join(folder, name), bytes, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        throw new PrintError(
          'NOT_SAVED',
          `The PDF could not be saved in Wardline's printouts folder (${(error as NodeJS.ErrnoException).code ?? 'error'}). Ask IT to check the disk.`,
        );
      }
      return { delivery: 'pdf-file', fileName: name };
    },
  };
}

/** Deletes every saved printout (wipe); returns how many files there were. */
export function removePrintouts(dataDir: string): number {
  const folder = printoutsFolder(dataDir);
  let count = 0;
  try {
    count = readdirSync(folder).length;
  } catch {
    return 0;
  }
  rmSync(folder, { recursive: true, force: true });
  return count;
}
