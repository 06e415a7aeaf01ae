// Which patients are restricted: those whose FHIR meta.security carries the HL7 v3 confidentiality
// code R (restricted) or V (very restricted). Opening their chart needs break-the-glass, on the
// workstation (the session guard) and at the hub (its access policy) alike.

export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

/** The confidentiality codes that make a chart restricted (the hub indexes and searches by them). */
export const RESTRICTED_CONFIDENTIALITY_CODES: readonly string[] = ['R', 'V'];
const RESTRICTED_CODES: ReadonlySet<string> = new Set(RESTRICTED_CONFIDENTIALITY_CODES);

/** The part of a FHIR resource this needs (any resource with meta fits). */
export interface SecurityLabelled {
  readonly meta?: { readonly security?: readonly { readonly system?: string; readonly code?: string }[] };
}

/** True when the resource is labelled R or V in the v3 confidentiality code system. */
export function isRestricted(resource: SecurityLabelled): boolean {
  return (resource.meta?.security ?? []).some(
    (c) => c.system === CONFIDENTIALITY_SYSTEM && c.code !== undefined && RESTRICTED_CODES.has(c.code),
  );
}
