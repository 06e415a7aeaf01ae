// Break-the-glass for a patient who is not on this ward: fetched from the hub by MRN while online,
// held in the host's memory only (never in the chart cache) for the grant's time, then dropped.
import { z } from 'zod';
import { channelTable, defineChannel } from './channel.js';
import { patientIdSchema } from './chart-channels.js';

/**
 * A hospital medical record number (Patient.identifier of system urn:wardline:mrn): letters,
 * digits, "-", ".", "_" or "/", at most 64. No "," or "|", which a FHIR token search would read.
 */
export const mrnSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9\-._/]{0,63}$/, 'a medical record number (letters, digits, "-", ".", "_", "/")');

/** HL7 v3 ActReason codes a break-the-glass may give (electron/session BTG_REASONS). */
export const btgReasonCodeSchema = z.enum(['ETREAT', 'COC', 'TREAT']);
/** The user's own words: why this chart is needed now. */
export const btgReasonTextSchema = z.string().trim().min(10, 'at least 10 characters of justification').max(500);

export const OFF_WARD_CHANNELS = channelTable([
  defineChannel({
    name: 'chart:open-off-ward',
    summary:
      'emergency access to the chart of a patient not on this ward, by MRN, fetched from the hub (online only), held in memory for a limited time, audited as a security alert',
    permission: 'btg:use',
    request: z.strictObject({ mrn: mrnSchema, reasonCode: btgReasonCodeSchema, reasonText: btgReasonTextSchema }),
    response: z.object({ patientId: patientIdSchema, expiresAt: z.string() }),
  }),
]);
