// Downtime documentation: a patient's notes, recording vital signs and medication administrations
// (checked against the five rights first: chart:check-administration)
// (to the outbox, uploaded when the hub is reachable), and what of it the hub does not hold yet.
import { z } from 'zod';
import { vitalSignsEntrySchema } from '../vital-signs/index.js';
import { channelTable, defineChannel } from './channel.js';
import { administrationEntrySchema, administrationVerdictSchema } from './administration-schemas.js';
import { patientIdSchema } from './chart-channels.js';

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
  /** pending-upload: in the outbox; conflict: the hub refused it, the user must choose. */
  status: z.enum(['pending-upload', 'conflict']),
  /** The last upload failure's code, or null. */
  lastError: z.string().nullable(),
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
});

export type VitalSignsEntryData = z.infer<typeof vitalSignsEntrySchema>;
export type PendingDocumentationData = z.infer<typeof pendingDocumentationSchema>;
export type NoteData = z.infer<typeof noteSchema>;

export const DOCUMENTATION_CHANNELS = channelTable([
  defineChannel({
    name: 'chart:notes',
    summary: "one page of a patient's notes, newest first, with how many there are",
    permission: 'category:read:notes',
    request: z.strictObject({
      patientId: patientIdSchema,
      offset: z.number().int().min(0).max(1_000_000).optional(),
      limit: z.number().int().min(1).max(100).optional(),
    }),
    response: z.object({ notes: z.array(noteSchema), total: z.number().int().nonnegative() }),
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
    request: z.strictObject({ patientId: patientIdSchema }),
    response: z.array(pendingDocumentationSchema),
  }),
]);
