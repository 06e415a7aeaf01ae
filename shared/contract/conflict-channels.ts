// Conflicts: the documentation the hub refused or that met a newer version, shown with both
// versions, and the user's choice that settles each one.
import { z } from 'zod';
import { channelTable, defineChannel } from './channel.js';
import { viewRefreshSchema } from './chart-channels.js';

/** A FHIR resource as JSON (shown side by side; the host validated it). */
export const resourceJsonSchema = z.record(z.string(), z.unknown());

/**
 * A record of a conflict that was marked entered in error meanwhile, at the hub or in the hospital's
 * EHR, which this workstation's version would bring back (shared/fhir withdrawalUndoneBy). Entered in
 * error is final: such a conflict is not settled by "Keep my version", "Combine" or "Send to the EHR"
 * (the host and the hub refuse them, RETRACTED_RECORD), but by accepting the withdrawal ('keep-hub'),
 * or, for a vital sign, by recording this workstation's value again as a new entry ('record-again').
 */
export const withdrawnRecordSchema = z.object({
  resourceType: z.string(),
  /** Withdrawn in the hospital's EHR (a conflict with the EHR), not at the hub. */
  inEhr: z.boolean(),
  /** Who marked it, as the withdrawn version's last note names them; null when it names no one. */
  by: z.string().nullable(),
  /** When: that note's time, else when the hub's version last changed; null when neither is known. */
  at: z.string().nullable(),
  /** The withdrawal's note (its reason), when it has one. */
  note: z.string().nullable(),
  /** This workstation's version is a vital sign that can be recorded again as a new entry. */
  canRecordAgain: z.boolean(),
});
export type WithdrawnRecordData = z.infer<typeof withdrawnRecordSchema>;

/**
 * One unresolved conflict. The list holds one view for every conflict the workstation keeps, the same
 * rows the banner counts (sync:status `conflicts`), so the two never differ: a conflict this user may
 * not open is listed too, `withheld`, without its content.
 */
export const conflictViewSchema = z.object({
  conflictId: z.string(),
  /** The Patient's resource id, as the conflict's own documentation refers to it. */
  patientId: z.string(),
  /** The patient's name as this workstation holds it ("Family, Given"), or null when it holds none. */
  patientName: z.string().nullable(),
  /**
   * The patient left this ward (discharged or transferred): the chart stays on this workstation only
   * for this conflict, and is removed at the sync after it is settled (and delivered).
   */
  leftWard: z.boolean(),
  /**
   * False when this workstation no longer holds the patient's chart at all (removed before the
   * conflict was settled): only what the conflict itself carries is shown. Such a patient also left the ward.
   */
  chartHeld: z.boolean(),
  /**
   * 'version-conflict': changed on the hub meanwhile; 'rejected': the hub refused it;
   * 'upstream-conflict': the hub holds it, but the hospital's EHR contradicts it (errorCode: one of
   * shared/fhir's UPSTREAM_CONFLICT_CODES; `hub` holds the EHR's resources). Settling it: 'keep-hub'
   * keeps it from the EHR (the EHR is right), 'resend-local' sends it to the EHR after all.
   */
  reason: z.enum(['version-conflict', 'rejected', 'upstream-conflict']),
  errorCode: z.string().nullable(),
  detectedAt: z.string(),
  /**
   * Null when this user may open the conflict; otherwise why not (the refusal's code and message),
   * and `local`, `hub` and `patientName` are left empty.
   */
  withheld: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** The resources as this workstation documented them. */
  local: z.array(resourceJsonSchema),
  /** The hub's current versions of the same resources (an upstream conflict: the EHR's resources that contradict it). */
  hub: z.array(resourceJsonSchema),
  /**
   * Resources the hub holds a newer version of but did not show this workstation (the patient left
   * the ward, and the hub refused even the record its 412 named): their version number only, which
   * "keep my version" and "combine" are sent on.
   */
  hubVersionsOnly: z.array(z.object({ resourceType: z.string(), id: z.string(), versionId: z.string() })),
  /** The records marked entered in error meanwhile that this workstation's version would bring back (empty: none). */
  withdrawn: z.array(withdrawnRecordSchema),
});
export type ConflictViewData = z.infer<typeof conflictViewSchema>;

export const CONFLICT_CHANNELS = channelTable([
  defineChannel({
    name: 'conflict:list',
    summary:
      "every unresolved conflict (the banner's count): the documentation the hub refused or that met a newer version, with both versions where the user may read them",
    permission: 'chart:read',
    request: z.strictObject({ refresh: viewRefreshSchema }),
    response: z.array(conflictViewSchema),
  }),
  defineChannel({
    name: 'conflict:resolve',
    summary:
      "settle a conflict: keep the hub's version, send this workstation's version again over it, send a combination the user made of both (validated FHIR), or, when its record was marked entered in error meanwhile, accept that and record this workstation's vital signs again as a new entry",
    permission: 'chart:read',
    request: z.union([
      z.strictObject({ conflictId: z.string().min(1).max(64), choice: z.enum(['keep-hub', 'resend-local', 'record-again']) }),
      z.strictObject({
        conflictId: z.string().min(1).max(64),
        choice: z.literal('combine'),
        resources: z.array(resourceJsonSchema).min(1).max(20),
      }),
    ]),
    response: z.object({ resentAs: z.string().nullable() }),
  }),
]);
