// What the downtime documentation, sync status, conflicts, audit, policy and print channels carry:
// zod shapes shared by the host's handlers and the screens. Counts, ids and times; patient data
// only where the screen that shows it needs it, and only after the host's guard allowed it.
import { z } from 'zod';
import { vitalSignsEntrySchema } from '../vital-signs/index.js';

/** How old the cached data is, against the policy's amber and red thresholds. */
export const stalenessSchema = z.enum(['fresh', 'amber', 'red', 'never-synced']);
export const connectivityStateSchema = z.enum(['online', 'degraded', 'offline', 'hub-down']);

export const syncStatusSchema = z.object({
  /** False on a workstation that is not enrolled with a hub (it only shows its cache). */
  enrolled: z.boolean(),
  state: connectivityStateSchema,
  /** Workstation time the last complete sync ended, or null. */
  lastSuccess: z.string().nullable(),
  /** Workstation time the cached ward data was last brought up to date. */
  dataAsOf: z.string().nullable(),
  staleness: stalenessSchema,
  outboxPending: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  /** The code of the last failure (HUB_UNREACHABLE, PIN_MISMATCH…), or null. */
  lastError: z.string().nullable(),
  /** The initial load while it runs: patients loaded of patients on the census; null otherwise. */
  initialLoad: z.object({ loaded: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).nullable(),
  /** The policy's thresholds, so the banner can colour "data as of" by itself as time passes. */
  staleAmberMs: z.number().int().positive(),
  staleRedMs: z.number().int().positive(),
  /** How often the workstation polls the hub (ms). */
  pollIntervalMs: z.number().int().positive(),
});
export type SyncStatusData = z.infer<typeof syncStatusSchema>;

/** A vital-signs set as the nurse enters it: its checks live with the vital-sign rules. */
export { vitalSignsEntrySchema };

/** A dose given or held against an active order (MedicationRequest id). */
export const administrationEntrySchema = z
  .strictObject({
    medicationRequestId: z.string().min(1).max(64),
    given: z.boolean(),
    effectiveAt: z.string().datetime({ offset: true }).optional(),
    scheduledAt: z.string().datetime({ offset: true }).optional(),
    dose: z.strictObject({ value: z.number().positive().max(100000), unit: z.string().trim().min(1).max(32) }).optional(),
    notGivenReason: z.string().trim().min(1).max(500).optional(),
  })
  .refine((v) => v.given || v.notGivenReason !== undefined, 'a held dose needs a reason');

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

export const noteSchema = z.object({
  id: z.string(),
  date: z.string().nullable(),
  title: z.string(),
  author: z.string().nullable(),
  text: z.string(),
  status: z.string(),
});

/** A FHIR resource as JSON (shown side by side; the host validated it). */
export const resourceJsonSchema = z.record(z.string(), z.unknown());

export const conflictViewSchema = z.object({
  conflictId: z.string(),
  patientId: z.string(),
  reason: z.enum(['version-conflict', 'rejected']),
  errorCode: z.string().nullable(),
  detectedAt: z.string(),
  /** The resources as this workstation documented them. */
  local: z.array(resourceJsonSchema),
  /** The hub's current versions of the same resources. */
  hub: z.array(resourceJsonSchema),
});

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
  printingAllowed: z.boolean(),
  updates: z.union([z.object({ enabled: z.literal(false) }), z.object({ enabled: z.literal(true), channel: z.string(), url: z.string() })]),
  signedBy: z.string(),
  defaulted: z.array(z.string()),
});

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

export type VitalSignsEntryData = z.infer<typeof vitalSignsEntrySchema>;
export type AdministrationEntryData = z.infer<typeof administrationEntrySchema>;
export type PendingDocumentationData = z.infer<typeof pendingDocumentationSchema>;
export type NoteData = z.infer<typeof noteSchema>;
export type ConflictViewData = z.infer<typeof conflictViewSchema>;
export type AuditEntryViewData = z.infer<typeof auditEntryViewSchema>;
export type PolicyViewData = z.infer<typeof policyViewSchema>;
export type PrintedDocumentData = z.infer<typeof printedDocumentSchema>;
