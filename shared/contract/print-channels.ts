// Printing: the downtime MAR and medication list of one patient or the whole ward, as a PDF
// marked with who printed it and how old the data is (audited), and how it left the host.
import { z } from 'zod';
import { channelTable, defineChannel } from './channel.js';
import { instantSchema } from './chart-channels.js';

export const printScopeSchema = z.union([
  z.strictObject({ patientId: z.string().min(1).max(64) }),
  z.strictObject({ ward: z.literal(true) }),
]);

const printedCounts = {
  pages: z.number().int().positive(),
  patients: z.number().int().nonnegative(),
};
/** e.g. wardline-mar-20261124T1042Z.pdf: never a patient's name. */
const printedFileName = z.string().max(200);

/**
 * How the printed MAR left the host. Never as a file the browser downloads:
 * - `print-dialog` (Electron): handed to the operating system's print dialog, from memory;
 * - `pdf-file` (only where the machine policy allows saving as PDF): saved in Wardline's data
 *   folder, which wipe removes;
 * - `in-page` (evaluation mode in a browser): the PDF itself, shown in the page from memory.
 */
export const printedDocumentSchema = z.discriminatedUnion('delivery', [
  z.object({
    delivery: z.literal('in-page'),
    fileName: printedFileName,
    mediaType: z.literal('application/pdf'),
    /** The PDF, base64. */
    base64: z.string(),
    ...printedCounts,
  }),
  z.object({ delivery: z.literal('print-dialog'), ...printedCounts }),
  z.object({ delivery: z.literal('pdf-file'), fileName: printedFileName, ...printedCounts }),
]);
export type PrintedDocumentData = z.infer<typeof printedDocumentSchema>;

export const PRINT_CHANNELS = channelTable([
  defineChannel({
    name: 'print:mar',
    summary:
      'the downtime MAR and medication list of one patient or the whole ward, as a PDF marked with who printed it and how old the data is (audited)',
    permission: 'print',
    request: z.strictObject({ scope: printScopeSchema, from: instantSchema, to: instantSchema }),
    response: printedDocumentSchema,
  }),
]);
