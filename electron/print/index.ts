// Print: the downtime MAR and medication list as PDF, for one patient or the whole ward, each page
// marked with who printed it, when, and how old the data is. Pure rendering; the host guards and audits.
export { renderMarPdf } from './mar-pdf.js';
export { checkPrintWindow, type PrintSection, type PrintedChart, type PrintedIdentity } from './print-job.js';
export { PrintError } from './print-error.js';
