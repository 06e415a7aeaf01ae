// Conflicts with the EHR, found before documentation is first sent back: the dose's order changed or
// stopped at the EHR after the dose was given (UPSTREAM_ORDER_CHANGED), or the EHR finished the
// encounter before the documentation's time (UPSTREAM_PATIENT_DISCHARGED: the patient was
// discharged). Such an entry is held as a conflict (kept, shown by `upstream status`, not sent) until
// a later version of the same documentation (the user's decision) is queued. See docs/UPSTREAM.md.
import {
  UPSTREAM_CONFLICT_REASONS,
  type Encounter,
  type MedicationRequest,
  type Resource,
  type UpstreamConflictCode,
} from '../../../shared/fhir/index.js';
import type { UpstreamClient } from './upstream-client.js';
import { UpstreamError } from './upstream-error.js';

export interface UpstreamConflict {
  readonly code: UpstreamConflictCode;
  /** A sentence for IT and users (no patient data). */
  readonly reason: string;
  /** The EHR's resource that contradicts the documentation (the order, the encounter), as the EHR holds it. */
  readonly ehrResource: Resource;
}

/** Order statuses under which a dose may still be given. */
const ORDER_GIVABLE = ['active', 'completed'];

interface Documented {
  readonly effectiveDateTime?: string;
  readonly effectivePeriod?: { start?: string };
  readonly issued?: string;
  readonly encounter?: { reference?: string };
  readonly context?: { reference?: string };
  readonly request?: { reference?: string };
}

function documentedMs(resource: Documented): number | undefined {
  const text = resource.effectiveDateTime ?? resource.effectivePeriod?.start ?? resource.issued;
  const ms = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The EHR's resource, or null when the EHR does not hold it (a hub-only reference). */
async function readAtEhr<R extends Resource>(client: UpstreamClient, reference: string | undefined, type: string): Promise<R | null> {
  if (reference === undefined || !new RegExp(`^${type}/[A-Za-z0-9\\-.]{1,64}$`).test(reference)) return null;
  try {
    const { body } = await client.read(reference);
    return (body as R | null)?.resourceType === type ? (body as R) : null;
  } catch (error) {
    if (error instanceof UpstreamError && error.code === 'REFUSED' && (error.status === 404 || error.status === 410)) return null;
    throw error;
  }
}

/** The conflict the EHR's current state makes with this documentation, or null. */
export async function upstreamConflictOf(client: UpstreamClient, resource: Resource): Promise<UpstreamConflict | null> {
  const documented = resource as Documented;
  const at = documentedMs(documented);
  if (resource.resourceType === 'MedicationAdministration') {
    const order = await readAtEhr<MedicationRequest>(client, documented.request?.reference, 'MedicationRequest');
    const changedMs = Date.parse(order?.meta?.lastUpdated ?? '');
    if (order !== null && (!ORDER_GIVABLE.includes(order.status) || (at !== undefined && Number.isFinite(changedMs) && changedMs > at))) {
      return {
        code: 'UPSTREAM_ORDER_CHANGED',
        reason: `${UPSTREAM_CONFLICT_REASONS.UPSTREAM_ORDER_CHANGED} (it is now ${order.status})`,
        ehrResource: order,
      };
    }
  }
  const encounterRef =
    resource.resourceType === 'MedicationAdministration' ? documented.context?.reference : documented.encounter?.reference;
  const encounter = await readAtEhr<Encounter>(client, encounterRef, 'Encounter');
  const endMs = Date.parse(encounter?.period?.end ?? '');
  if (
    encounter !== null &&
    (encounter.status === 'finished' || encounter.status === 'cancelled') &&
    at !== undefined &&
    Number.isFinite(endMs) &&
    at > endMs
  ) {
    return {
      code: 'UPSTREAM_PATIENT_DISCHARGED',
      reason: UPSTREAM_CONFLICT_REASONS.UPSTREAM_PATIENT_DISCHARGED,
      ehrResource: encounter,
    };
  }
  return null;
}
