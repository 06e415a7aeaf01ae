// Which patients are restricted: those whose FHIR meta.security carries the HL7 v3 confidentiality
// code R (restricted) or V (very restricted). Opening their chart needs break-the-glass.

export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

const RESTRICTED_CODES: ReadonlySet<string> = new Set(['R', 'V']);

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
