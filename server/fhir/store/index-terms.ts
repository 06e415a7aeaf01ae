// What the store indexes of a resource when it is written: its patient, its status, its search
// tokens (identifiers, an Encounter's current locations, code and category codings, the words of a
// Patient's name), the span of
// its clinical date (the date search), when its care ends ($everything's start)
// and, for Encounters, the ward Locations a version touches (for ward-scoped history).
import type { Encounter, Resource } from '../../../shared/fhir/index.js';
import { careEndMs, isTimeless, patientIdOf } from '../../../shared/fhir/index.js';
import { clinicalTokensOf, dateSpanOf, type DateSpan } from './clinical-terms.js';
import { nameWordTokensOf } from './patient-name.js';

/** The index token of a Patient's security labels (meta.security), kept for the restricted-chart rule. */
export const SECURITY_TOKEN_PARAM = '_security';

export interface Token {
  readonly param: string;
  readonly system: string;
  readonly value: string;
}

export interface IndexTerms {
  readonly patientId: string | null;
  readonly status: string | null;
  readonly tokens: readonly Token[];
  /** See careEndColumn. */
  readonly careEnd: number | null;
  /** The span of its date search parameter (clinical-terms.ts), or null. */
  readonly date: DateSpan | null;
}

/**
 * The care_end_ms column: when the care a resource records ends (ms since the epoch); null for what
 * matters whatever its date (allergies, active problems, …), is ongoing, or carries no clinical date.
 */
export function careEndColumn(resource: Resource): number | null {
  if (isTimeless(resource)) return null;
  const end = careEndMs(resource);
  return end === undefined || !Number.isFinite(end) ? null : end;
}

/** A ward's Location reference as stored and searched: `Location/ward-{ward}`. */
export function wardLocationRef(ward: string): string {
  return `Location/ward-${ward}`;
}

/** `Location/x`, `https://hub/fhir/Location/x`, `Location/x/_history/2` → `Location/x`; else null. */
export function normalizeReference(reference: string | undefined): string | null {
  if (!reference) return null;
  const parts = reference.split('/');
  if (parts.length >= 4 && parts[parts.length - 2] === '_history') parts.length -= 2;
  if (parts.length < 2) return null;
  const type = parts[parts.length - 2]!;
  const id = parts[parts.length - 1]!;
  if (!/^[A-Z][A-Za-z]+$/.test(type) || !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) return null;
  return `${type}/${id}`;
}

/** The Locations an Encounter is at now (entries not marked completed). */
export function currentLocationRefs(encounter: Encounter): string[] {
  const refs = new Set<string>();
  for (const entry of encounter.location ?? []) {
    if (entry.status === 'completed') continue;
    const ref = normalizeReference(entry.location?.reference);
    if (ref?.startsWith('Location/')) refs.add(ref);
  }
  return [...refs];
}

/** Ward Location references (`Location/ward-…`) among an Encounter's current locations. */
export function wardRefsOf(resource: Resource | null): string[] {
  if (!resource || resource.resourceType !== 'Encounter') return [];
  return currentLocationRefs(resource).filter((ref) => ref.startsWith('Location/ward-'));
}

/** A Patient's security labels (meta.security), indexed so the restricted-chart rule is one lookup. */
export function securityTokensOf(resource: Resource): Token[] {
  const labels = (resource.meta as { security?: unknown } | undefined)?.security;
  if (!Array.isArray(labels)) return [];
  return (labels as { system?: unknown; code?: unknown }[])
    .filter((label) => typeof label?.code === 'string')
    .map((label) => ({
      param: SECURITY_TOKEN_PARAM,
      system: typeof label.system === 'string' ? label.system : '',
      value: label.code as string,
    }));
}

/** The `identifier` tokens of a resource (an identifier without a system is indexed with ''). */
export function identifierTokensOf(resource: Resource): Token[] {
  const tokens: Token[] = [];
  const identifiers = (resource as { identifier?: unknown }).identifier;
  const list = Array.isArray(identifiers) ? identifiers : identifiers && typeof identifiers === 'object' ? [identifiers] : [];
  for (const identifier of list as { system?: unknown; value?: unknown }[]) {
    if (typeof identifier?.value !== 'string') continue;
    tokens.push({ param: 'identifier', system: typeof identifier.system === 'string' ? identifier.system : '', value: identifier.value });
  }
  return tokens;
}

export function indexTermsOf(resource: Resource): IndexTerms {
  const tokens: Token[] = identifierTokensOf(resource);
  if (resource.resourceType === 'Encounter') {
    for (const ref of currentLocationRefs(resource)) tokens.push({ param: 'location', system: '', value: ref });
  }
  if (resource.resourceType === 'Patient') tokens.push(...securityTokensOf(resource), ...nameWordTokensOf(resource));
  tokens.push(...clinicalTokensOf(resource));
  const status = (resource as { status?: unknown }).status;
  return {
    patientId: patientIdOf(resource) ?? null,
    status: typeof status === 'string' ? status : null,
    tokens,
    careEnd: careEndColumn(resource),
    date: dateSpanOf(resource),
  };
}

/** The index tokens of one search parameter of a resource (`identifier`, `location`, …), as written. */
export function tokensOf(resource: Resource, param: string): Token[] {
  if (param === 'identifier') return identifierTokensOf(resource);
  return indexTermsOf(resource).tokens.filter((token) => token.param === param);
}
