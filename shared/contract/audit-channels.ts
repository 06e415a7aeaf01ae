// The audit view: a page of this workstation's audit trail, by patient, user and time (the view
// itself is audited).
import { z } from 'zod';
import { channelTable, defineChannel } from './channel.js';
import { instantSchema, patientIdSchema } from './chart-channels.js';

export const auditEntryViewSchema = z.object({
  sequence: z.number().int().positive(),
  time: z.string(),
  user: z.string().nullable(),
  session: z.string().nullable(),
  action: z.string(),
  patient: z.string().nullable(),
  resources: z.array(z.string()),
  outcome: z.string(),
  purposeOfUse: z.string().nullable(),
  query: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntryViewData = z.infer<typeof auditEntryViewSchema>;

export const AUDIT_CHANNELS = channelTable([
  defineChannel({
    name: 'audit:view',
    summary: "a page of this workstation's audit trail, by patient, user and time (the view itself is audited)",
    permission: 'audit:view',
    request: z.strictObject({
      patientId: patientIdSchema.optional(),
      userId: z.string().min(1).max(128).optional(),
      from: instantSchema.optional(),
      to: instantSchema.optional(),
      afterSequence: z.number().int().nonnegative().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    response: z.object({ entries: z.array(auditEntryViewSchema), nextAfterSequence: z.number().int().nullable() }),
  }),
]);
