// Print: the downtime MAR and medication list as PDF, for one patient or the whole ward, each page
// marked with who printed it, when, and how old the data is. Pure rendering; the host guards and audits.
export { renderMarPdf, identityLine, PDF_TITLE, PDF_PRODUCER, type RenderedPdf } from './mar-pdf.js';
export {
  checkPrintWindow,
  MAX_PRINT_WINDOW_MS,
  type MarPrintJob,
  type PrintSection,
  type PrintedChart,
  type PrintedIdentity,
} from './print-job.js';
export { printMark, marFileName, localMinute } from './print-time.js';
export { winAnsiText, type WinAnsiText } from './win-ansi.js';
export { CONFIDENTIAL } from './page-writer.js';
export { PrintError, type PrintErrorCode } from './print-error.js';
