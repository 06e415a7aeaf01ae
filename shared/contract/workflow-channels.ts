// The channels beyond reading a chart: sync status (and its event), downtime documentation and
// what is pending, conflicts, the audit view, the policy in force, and printing the downtime MAR.
import { z } from 'zod';
import { channelTable, defineChannel, defineEvent } from './channel.js';
import { instantSchema, patientIdSchema } from './chart-channels.js';
import {
  administrationEntrySchema,
  auditEntryViewSchema,
  conflictViewSchema,
  documentationReceiptSchema,
  noteSchema,
  pendingDocumentationSchema,
  policyViewSchema,
  printedDocumentSchema,
  printScopeSchema,
  resourceJsonSchema,
  syncStatusSchema,
  vitalSignsEntrySchema,
} from './workflow-schemas.js';

const noRequest = z.strictObject({});

export const SYNC_CHANNELS = channelTable([
  defineChannel({
    name: 'sync:status',
    summary: 'connectivity, how old the cached data is, and what waits in the outbox (counts and times only)',
    permission: 'session',
    request: noRequest,
    response: syncStatusSchema,
  }),
  defineChannel({
    name: 'sync:now',
    summary: 'run a sync cycle now (pull, then push the outbox) and answer the status after it',
    permission: 'session',
    request: noRequest,
    response: syncStatusSchema,
  }),
]);

export const SYNC_EVENTS = channelTable([
  defineEvent({
    name: 'sync:changed',
    summary: 'the connectivity state or the sync status changed (no patient data)',
    payload: syncStatusSchema,
  }),
]);

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
    name: 'chart:record-administration',
    summary: 'record a medication administration (given or held) against an active order (to the outbox)',
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

export const CONFLICT_CHANNELS = channelTable([
  defineChannel({
    name: 'conflict:list',
    summary: "the documentation the hub refused or that met a newer version, with both versions (patients in the user's scope)",
    permission: 'chart:read',
    request: noRequest,
    response: z.array(conflictViewSchema),
  }),
  defineChannel({
    name: 'conflict:resolve',
    summary:
      "settle a conflict: keep the hub's version, send this workstation's version again over it, or send a combination the user made of both (validated FHIR)",
    permission: 'chart:read',
    request: z.union([
      z.strictObject({ conflictId: z.string().min(1).max(64), choice: z.enum(['keep-hub', 'resend-local']) }),
      z.strictObject({
        conflictId: z.string().min(1).max(64),
        choice: z.literal('combine'),
        resources: z.array(resourceJsonSchema).min(1).max(20),
      }),
    ]),
    response: z.object({ resentAs: z.string().nullable() }),
  }),
]);

export const ADMIN_CHANNELS = channelTable([
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
  defineChannel({
    name: 'policy:view',
    summary: 'the machine policy in force, read only',
    permission: 'policy:view',
    request: noRequest,
    response: policyViewSchema,
  }),
]);

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
