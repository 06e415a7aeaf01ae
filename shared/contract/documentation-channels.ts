// Downtime documentation: a patient's notes and writing one, recording vital signs and medication administrations
// (checked against the five rights first: chart:check-administration)
// (to the outbox, uploaded when the hub is reachable), and what of it the hub does not hold yet.
import { z } from 'zod';
import { vitalSignsEntrySchema } from '../vital-signs/index.js';
import { channelTable, defineChannel } from './channel.js';
import { administrationEntrySchema, administrationVerdictSchema } from './administration-schemas.js';
import { patientIdSchema, viewRefreshSchema } from './chart-channels.js';

/** A vital-signs set as the nurse enters it: its checks live with the vital-sign rules (shared/vital-signs). */
export { vitalSignsEntrySchema };

/** What the host answers after documentation went into the outbox. */
export const documentationReceiptSchema = z.object({
  entryId: z.string(),
  resourceIds: z.array(z.string()),
  status: z.literal('pending-upload'),
});

/** One piece of local documentation for a patient and where it stands. */
export const pendingDocumentationSchema = z.object({
  entryId: z.string(),
  kind: z.enum(['vital-signs', 'medication-administration', 'note', 'amendment']),
  recordedAt: z.string(),
  /**
   * pending-upload: in the outbox; conflict: the hub refused it, the user must choose; delivered:
   * the hub acknowledged it lately (while this host runs, at most 12 hours back).
   */
  status: z.enum(['pending-upload', 'conflict', 'delivered']),
  /** The last upload failure's code, or null. */
  lastError: z.string().nullable(),
  /** When the hub's acknowledgement arrived (delivered only), else null. */
  deliveredAt: z.string().nullable(),
});

/** The longest note a workstation writes, in characters (the host and the dialog both hold to it). */
export const NOTE_MAX_CHARS = 20_000;
/** The longest title a note may carry. */
export const NOTE_TITLE_MAX_CHARS = 200;

/** A note as the clinician writes it: plain text, and a title of their own (else the note type names it). */
export const noteEntrySchema = z.strictObject({
  text: z
    .string()
    .max(NOTE_MAX_CHARS, `a note holds at most ${NOTE_MAX_CHARS} characters`)
    .refine((text) => text.trim() !== '', 'a note needs some text'),
  title: z.string().trim().min(1).max(NOTE_TITLE_MAX_CHARS).optional(),
});

/** A note (DocumentReference) as the chart shows it. */
export const noteSchema = z.object({
  id: z.string(),
  /** DocumentReference.date. */
  date: z.string().nullable(),
  /** The description, else the attachment's title, else the note type. */
  title: z.string(),
  /** The first author's display (or reference). */
  author: z.string().nullable(),
  /** The plain text of the note; empty when it carries none. */
  text: z.string(),
  /** DocumentReference.status (current, superseded, entered-in-error). */
  status: z.string(),
  /** Written on this workstation and not yet held by the hub (no hub version). */
  pendingUpload: z.boolean(),
});

export type VitalSignsEntryData = z.infer<typeof vitalSignsEntrySchema>;
export type PendingDocumentationData = z.infer<typeof pendingDocumentationSchema>;
export type NoteData = z.infer<typeof noteSchema>;
export type NoteEntryData = z.infer<typeof noteEntrySchema>;

export const DOCUMENTATION_CHANNELS = channelTable([
  defineChannel({
    name: 'chart:notes',
    summary: "one page of a patient's notes, newest first, with how many there are",
    permission: 'category:read:notes',
    request: z.strictObject({
      patientId: patientIdSchema,
      offset: z.number().int().min(0).max(1_000_000).optional(),
      limit: z.number().int().min(1).max(100).optional(),
      refresh: viewRefreshSchema,
    }),
    response: z.object({ notes: z.array(noteSchema), total: z.number().int().nonnegative() }),
  }),
  defineChannel({
    name: 'chart:record-note',
    summary:
      "write a note on a patient's chart (a DocumentReference: a physician's progress note, a nurse's nursing note; to the outbox, uploaded when the hub is reachable)",
    permission: 'document:note',
    request: z.strictObject({ patientId: patientIdSchema, note: noteEntrySchema }),
    response: documentationReceiptSchema,
  }),
  defineChannel({
    name: 'chart:record-vitals',
    summary: 'record a set of vital signs for one patient (to the outbox; uploaded when the hub is reachable)',
    permission: 'document:vital-signs',
    request: z.strictObject({ patientId: patientIdSchema, vitals: vitalSignsEntrySchema }),
    response: documentationReceiptSchema,
  }),
  defineChannel({
    name: 'chart:check-administration',
    summary: 'check a dose against the five rights before it is recorded: what stops it and what needs a reason (writes nothing)',
    permission: 'document:medication-administration',
    request: z.strictObject({ patientId: patientIdSchema, administration: administrationEntrySchema }),
    response: administrationVerdictSchema,
  }),
  defineChannel({
    name: 'chart:record-administration',
    summary:
      'record a medication administration (given, held or refused) against an active order, once the patient is confirmed and the five rights pass (to the outbox)',
    permission: 'document:medication-administration',
    request: z.strictObject({ patientId: patientIdSchema, administration: administrationEntrySchema }),
    response: documentationReceiptSchema,
  }),
  defineChannel({
    name: 'chart:pending',
    summary: "one patient's documentation not yet held by the hub (pending upload or in conflict)",
    permission: 'chart:read',
    request: z.strictObject({
      patientId: patientIdSchema,
      refresh: viewRefreshSchema,
    }),
    response: z.array(pendingDocumentationSchema),
  }),
]);
