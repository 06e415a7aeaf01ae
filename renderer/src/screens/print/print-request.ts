// What the print button asks the host for (the MAR from 24 hours ago to 24 hours ahead), how a
// refusal reads to the person at the screen, and what they are told of where the MAR went.
import type { PrintedDocumentData } from '../../../../shared/contract/index.js';
import { windowAround } from '../../../../shared/display/index.js';

export type PrintScope = { readonly patientId: string } | { readonly ward: true };

const DAY_MS = 24 * 60 * 60 * 1000;

export function marPrintRequest(scope: PrintScope, now: Date): { scope: { patientId: string } | { ward: true }; from: string; to: string } {
  const { from, to } = windowAround(now, DAY_MS, DAY_MS);
  return { scope: 'patientId' in scope ? { patientId: scope.patientId } : { ward: true }, from, to };
}

const PLAIN: Readonly<Record<string, string>> = {
  PRINTING_DISABLED: 'Printing is turned off on this workstation by IT policy.',
  FORBIDDEN: 'Your role does not allow printing. Ask a nurse or physician.',
  LOCKED: 'The workstation is locked. Unlock it to print.',
  NOT_SIGNED_IN: 'Sign in to print.',
};

/** A refusal in plain language: ours for the codes we know, else the host's own message. */
export function printFailureText(code: string, hostMessage: string): string {
  return PLAIN[code] ?? (hostMessage.length > 0 ? hostMessage : 'The MAR could not be printed. Try again; if it keeps failing, call IT.');
}

/** "2 pages, 1 patient". */
export function printedSummary(document: Pick<PrintedDocumentData, 'pages' | 'patients'>): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(document.pages, 'page')}, ${plural(document.patients, 'patient')}`;
}

/** What the person at the screen is told once the host has sent the MAR on its way. */
export function deliveredText(printed: PrintedDocumentData): string {
  const summary = printedSummary(printed);
  switch (printed.delivery) {
    case 'print-dialog':
      return `MAR ready (${summary}): choose the printer in the print dialog.`;
    case 'pdf-file':
      return `MAR saved as ${printed.fileName} in Wardline's printouts folder (${summary}); it is removed when the workstation is wiped.`;
    case 'in-page':
      return `MAR ready (${summary}), shown below from memory: print it from the viewer. Nothing was saved on this computer.`;
  }
}
