// Conflicts with the hospital's EHR (docs/UPSTREAM.md): documentation a workstation recorded that the
// EHR has since contradicted (the order changed, the patient discharged, the EHR changed its copy). One list of codes and the
// sentences that explain them, used by the hub (detection, `upstream status`) and the workstations
// (the conflicts screen); and the two tags that carry a conflict and its settlement through the hub's
// version log, so the hub stays the authority and the workstations learn of it by their sync.
import type { Resource } from '@medplum/fhirtypes';

/**
 * meta.tag system the hub writes on a version of documentation the EHR contradicts (code: the
 * conflict's code). The version carries the EHR's resource that contradicts it in `contained`.
 * Only the hub writes it; the hub never sends a version carrying it upstream.
 */
export const UPSTREAM_CONFLICT_TAG_SYSTEM = 'urn:wardline:upstream-conflict';
/**
 * meta.tag system of a version a user settled as "the EHR is right": kept at the hub, never sent
 * upstream, and the conflict is settled (code: the conflict's code).
 */
export const UPSTREAM_WITHHELD_TAG_SYSTEM = 'urn:wardline:upstream-withheld';

export const UPSTREAM_CONFLICT_CODES = ['UPSTREAM_ORDER_CHANGED', 'UPSTREAM_PATIENT_DISCHARGED', 'UPSTREAM_DOCUMENTATION_CHANGED'] as const;
export type UpstreamConflictCode = (typeof UPSTREAM_CONFLICT_CODES)[number];

/** What each conflict means, in words for IT and for users (no patient data). */
export const UPSTREAM_CONFLICT_REASONS: Readonly<Record<UpstreamConflictCode, string>> = Object.freeze({
  UPSTREAM_ORDER_CHANGED: 'the order was changed or stopped in the EHR after this dose was documented',
  UPSTREAM_PATIENT_DISCHARGED: 'the EHR ended this stay (discharge) before the time documented',
  UPSTREAM_DOCUMENTATION_CHANGED:
    "the EHR's copy of this documentation was changed or marked in error in the EHR since the hub last sent it",
});

export function isUpstreamConflictCode(code: unknown): code is UpstreamConflictCode {
  return typeof code === 'string' && (UPSTREAM_CONFLICT_CODES as readonly string[]).includes(code);
}

function tagCode(resource: Resource, system: string): string | undefined {
  return resource.meta?.tag?.find((tag) => tag.system === system)?.code ?? undefined;
}

/** The conflict code a version carries (the hub held it as a conflict with the EHR), or null. */
export function upstreamConflictOfVersion(resource: Resource): UpstreamConflictCode | null {
  const code = tagCode(resource, UPSTREAM_CONFLICT_TAG_SYSTEM);
  return isUpstreamConflictCode(code) ? code : null;
}

/** Whether a version was settled by a user as "the EHR is right" (kept at the hub, not sent). */
export function isUpstreamWithheld(resource: Resource): boolean {
  return tagCode(resource, UPSTREAM_WITHHELD_TAG_SYSTEM) !== undefined;
}

/**
 * The EHR's copy a version held as a conflict with the EHR carries (contained, the same type: the EHR
 * changed its copy of this documentation), or null: not held as such a conflict, or contradicted by
 * another record (an order, a stay).
 */
export function ehrCopyOfConflict(resource: Resource): Resource | null {
  if (upstreamConflictOfVersion(resource) === null) return null;
  const contained = (resource as { contained?: readonly Resource[] }).contained ?? [];
  return contained.filter((held) => held.resourceType === resource.resourceType).pop() ?? null;
}

/** The resource without either upstream tag and without the EHR's contained copy: what was documented. */
export function withoutUpstreamMarks<R extends Resource>(resource: R): R {
  const systems = [UPSTREAM_CONFLICT_TAG_SYSTEM, UPSTREAM_WITHHELD_TAG_SYSTEM];
  const copy = { ...resource } as R & { contained?: unknown[] };
  if (copy.meta?.tag !== undefined) {
    const tag = copy.meta.tag.filter((t) => !systems.includes(t.system ?? ''));
    const { tag: _all, ...rest } = copy.meta;
    copy.meta = tag.length === 0 ? rest : { ...rest, tag };
  }
  if (upstreamConflictOfVersion(resource) !== null) delete copy.contained;
  return copy;
}
