// The restricted-chart rule, once: a resource whose FHIR meta.security carries the HL7 v3
// confidentiality code R (restricted) or V (very restricted) is restricted; opening it out of the
// user's scope needs break-the-glass. The host's guard and patient lookups, the synthetic generator
// and the hub's access policy take it from here.

export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

/** The confidentiality codes that make a chart restricted (the hub indexes and searches by them). */
export const RESTRICTED_CONFIDENTIALITY_CODES: readonly string[] = ['R', 'V'];
const RESTRICTED_CODES: ReadonlySet<string> = new Set(RESTRICTED_CONFIDENTIALITY_CODES);

/** The meta.security label a restricted chart carries (what the generator and the EHR feed write). */
export const RESTRICTED_LABEL: Readonly<{ system: string; code: string; display: string }> = Object.freeze({
  system: CONFIDENTIALITY_SYSTEM,
  code: 'R',
  display: 'restricted',
});

/** The part of a FHIR resource the rule reads (any resource with meta fits). */
export interface SecurityLabelled {
  readonly meta?: { readonly security?: readonly { readonly system?: string; readonly code?: string }[] };
}

/** True when the resource is labelled R or V in the v3 confidentiality code system. */
export function isRestricted(resource: SecurityLabelled): boolean {
  return (resource.meta?.security ?? []).some(
    (c) => c.system === CONFIDENTIALITY_SYSTEM && c.code !== undefined && RESTRICTED_CODES.has(c.code),
  );
}
