// The policy view: the signed machine policy in force, read only.
import { z } from 'zod';
import { channelTable, defineChannel } from './channel.js';

const noRequest = z.strictObject({});

export const policyViewSchema = z.object({
  issued: z.string(),
  hubUrl: z.string(),
  pins: z.array(z.string()),
  ward: z.string(),
  idleTimeoutMs: z.number(),
  sessionLimitMs: z.number(),
  offlineGraceMs: z.number(),
  maxLockedSessions: z.number(),
  breakTheGlassMs: z.number(),
  staleAmberMs: z.number(),
  staleRedMs: z.number(),
  cacheDaysBeforeAdmission: z.number(),
  /** Acknowledged audit entries are pruned from the workstation after this. */
  auditRetentionMs: z.number(),
  administrationWindowMs: z.number(),
  allergyClassesAdded: z.number().int().nonnegative(),
  printingAllowed: z.boolean(),
  /** The MAR may be saved as a PDF file (in the data folder's printouts, removed by wipe) instead of going to the print dialog. */
  saveAsPdfAllowed: z.boolean(),
  updates: z.union([z.object({ enabled: z.literal(false) }), z.object({ enabled: z.literal(true), channel: z.string(), url: z.string() })]),
  signedBy: z.string(),
  defaulted: z.array(z.string()),
});
export type PolicyViewData = z.infer<typeof policyViewSchema>;

export const POLICY_CHANNELS = channelTable([
  defineChannel({
    name: 'policy:view',
    summary: 'the machine policy in force, read only',
    permission: 'policy:view',
    request: noRequest,
    response: policyViewSchema,
  }),
]);
