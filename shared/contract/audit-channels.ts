// The audit view (the privacy role): a page of this workstation's audit trail, newest first, by
// username, patient (MRN or words of the name), user or patient id and time, with usernames,
// patient names and MRNs resolved by the host when it answers; and the export of what a filter
// selects, written by the host to a file the person chose in a save dialog. Both are audited.
import { z } from 'zod';
import { channelTable, defineChannel } from './channel.js';
import { instantSchema, patientIdSchema } from './chart-channels.js';

export const auditEntryViewSchema = z.object({
  sequence: z.number().int().positive(),
  time: z.string(),
  user: z.string().nullable(),
  /** The user's username as this workstation knows them (null: no user, or not known here). */
  username: z.string().nullable(),
  /** For a failed sign-in: the username that was tried. */
  usernameTried: z.string().nullable(),
  session: z.string().nullable(),
  action: z.string(),
  patient: z.string().nullable(),
  /** The patient's name and MRN from the chart cache, now; null when the cache no longer holds them. */
  patientLabel: z.object({ name: z.string(), mrn: z.string().nullable() }).nullable(),
  resources: z.array(z.string()),
  outcome: z.string(),
  purposeOfUse: z.string().nullable(),
  query: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntryViewData = z.infer<typeof auditEntryViewSchema>;

/** The filters the view and its export share. */
const auditFilterFields = {
  /** A username (any case): that user's entries and the failed sign-ins that tried it. */
  username: z.string().trim().min(1).max(128).optional(),
  /** An MRN, or words of a patient's name: the entries of the held patients it designates. */
  patient: z.string().trim().min(1).max(200).optional(),
  patientId: patientIdSchema.optional(),
  userId: z.string().min(1).max(128).optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
};

export const AUDIT_CHANNELS = channelTable([
  defineChannel({
    name: 'audit:view',
    summary: "a page of this workstation's audit trail, newest first, by username, patient, user and time (the view itself is audited)",
    permission: 'audit:view',
    request: z.strictObject({
      ...auditFilterFields,
      beforeSequence: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    response: z.object({
      entries: z.array(auditEntryViewSchema),
      /** Pass as beforeSequence for the next (older) page; null when this was the last. */
      nextBeforeSequence: z.number().int().nullable(),
      /** The trail's upload: entries the hub has not acknowledged, and when it last acknowledged some. */
      upload: z.object({ pending: z.number().int().nonnegative(), lastAcknowledgedUpload: z.string().nullable() }),
    }),
  }),
  defineChannel({
    name: 'audit:export',
    summary: 'writes what an audit view filter selects as CSV to a file chosen in a save dialog (the export itself is audited)',
    permission: 'audit:view',
    request: z.strictObject(auditFilterFields),
    response: z.discriminatedUnion('saved', [
      z.object({ saved: z.literal(true), fileName: z.string(), entries: z.number().int().nonnegative() }),
      /** The person closed the save dialog: nothing was written or recorded. */
      z.object({ saved: z.literal(false) }),
    ]),
  }),
]);
