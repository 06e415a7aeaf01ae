// Print: the downtime MAR and medication list as PDF, for one patient or the whole ward, each page
// marked with who printed it, when, and how old the data is; and how it leaves the host (the print
// dialog, a PDF in the printouts folder that wipe removes, or back to the page). The host guards and audits.
export { renderMarPdf } from './mar-pdf.js';
export { checkPrintWindow, type PrintSection, type PrintedChart, type PrintedIdentity } from './print-job.js';
export { PrintError } from './print-error.js';
export {
  inPageDelivery,
  pdfFolderDelivery,
  printoutsFolder,
  removePrintouts,
  type DeliveredDocument,
  type PrintDelivery,
  type RenderedDocument,
} from './print-delivery.js';
