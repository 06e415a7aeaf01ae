// Printing: the downtime MAR and medication list of one patient or the whole ward, as a PDF
// marked with who printed it and how old the data is (audited).
import { z } from 'zod';
import { channelTable, defineChannel } from './channel.js';
import { instantSchema } from './chart-channels.js';

export const printScopeSchema = z.union([
  z.strictObject({ patientId: z.string().min(1).max(64) }),
  z.strictObject({ ward: z.literal(true) }),
]);

export const printedDocumentSchema = z.object({
  /** e.g. wardline-mar-20261124T1042Z.pdf: never a patient's name. */
  fileName: z.string(),
  mediaType: z.literal('application/pdf'),
  /** The PDF, base64. */
  base64: z.string(),
  pages: z.number().int().positive(),
  patients: z.number().int().nonnegative(),
});
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
