// Break-the-glass reasons, once: the coded reasons a user may give to open a restricted chart or a
// chart off this ward, with the words every screen and message shows for them, and the rule for the
// free-text justification. The host's registry, the contract's request schemas, the renderer's
// reason fields and the audit trail all take them from here.
import { z } from 'zod';

/** The code system of the reason codes: HL7 v3 ActReason (purpose of use), as FHIR AuditEvent expects. */
export const PURPOSE_OF_USE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

/** The reasons, in the order the screens offer them. */
export const BTG_REASONS = [
  { code: 'ETREAT', label: 'Emergency treatment' },
  { code: 'COC', label: 'Continuity of care after a transfer' },
  { code: 'TREAT', label: 'Care requested by the treating clinician' },
] as const;

export type BreakTheGlassReasonCode = (typeof BTG_REASONS)[number]['code'];

/** The purpose of use a chart read records: treatment, or emergency treatment under a break-the-glass grant. */
export const PURPOSE_OF_USE = Object.freeze({ treatment: 'TREAT', emergency: 'ETREAT' } as const satisfies Record<
  string,
  BreakTheGlassReasonCode
>);

const REASON_CODES = BTG_REASONS.map((r) => r.code) as [BreakTheGlassReasonCode, ...BreakTheGlassReasonCode[]];

/** The free text must say something: at least this many characters once trimmed, at most the other. */
export const BTG_JUSTIFICATION_MIN = 10;
export const BTG_JUSTIFICATION_MAX = 500;

export const btgReasonCodeSchema = z.enum(REASON_CODES);
/** The user's own words: why this chart is needed now. */
export const btgJustificationSchema = z
  .string()
  .trim()
  .min(BTG_JUSTIFICATION_MIN, `at least ${BTG_JUSTIFICATION_MIN} characters of justification`)
  .max(BTG_JUSTIFICATION_MAX);

export function isBreakTheGlassReasonCode(code: string): code is BreakTheGlassReasonCode {
  return BTG_REASONS.some((r) => r.code === code);
}

/** Whether the justification, trimmed, has an acceptable length. */
export function isBreakTheGlassJustification(text: string): boolean {
  const length = text.trim().length;
  return length >= BTG_JUSTIFICATION_MIN && length <= BTG_JUSTIFICATION_MAX;
}
