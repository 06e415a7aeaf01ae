// Break-the-glass for a patient who is not on this ward: fetched from the hub by MRN while online,
// held in the host's memory only (never in the chart cache) for the grant's time, then dropped.
import { z } from 'zod';
import { btgJustificationSchema, btgReasonCodeSchema } from '../access/index.js';
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

export const OFF_WARD_CHANNELS = channelTable([
  defineChannel({
    name: 'chart:open-off-ward',
    summary:
      'emergency access to the chart of a patient not on this ward, by MRN, fetched from the hub (online only), held in memory for a limited time, audited as a security alert',
    permission: 'btg:use',
    request: z.strictObject({ mrn: mrnSchema, reasonCode: btgReasonCodeSchema, reasonText: btgJustificationSchema }),
    response: z.object({ patientId: patientIdSchema, expiresAt: z.string() }),
  }),
]);
