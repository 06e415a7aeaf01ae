// What the pull steps of one sync cycle share: the client, the vault, the ward, the census of this
// cycle with each patient's cache window, and the running counts.
import type { Logger } from 'pino';
import { careWindowEndMs, patientIdOf, type Resource } from '../../shared/fhir/index.js';
import type { Vault } from '../vault/index.js';
import type { HubClient } from './hub-client.js';
import type { SyncPolicy } from './sync-policy.js';
import { emptyCounts, type ApplyCounts, type ApplyOptions } from './version-apply.js';
import { isOnWard } from './ward-scope.js';

export interface PullContext {
  readonly client: HubClient;
  readonly vault: Vault;
  readonly logger: Logger;
  readonly policy: SyncPolicy;
  /** The ward's Location id, e.g. `ward-demo`. */
  readonly wardId: string;
  /** Patients with an in-progress Encounter on the ward, per this cycle's census (filled when it arrives). */
  readonly censusIds: Set<string>;
  /**
   * Where each census patient's cache window opens (ms; see cache-window.ts), filled with the census:
   * older care is neither loaded nor taken from history.
   */
  readonly windowStarts: Map<string, number>;
  /** Patients the vault held when the cycle began (their changes are applied until purged). */
  readonly knownIds: ReadonlySet<string>;
  readonly counts: ApplyCounts;
}

export function newCounts(): ApplyCounts {
  return emptyCounts();
}

/**
 * What the ward's scope looks at in a resource: enough to decide without the resource itself (the
 * sync's page reader works it out on its own thread: page-columns.ts).
 */
export interface ScopeFacts {
  readonly resourceType: string;
  readonly id: unknown;
  /** patientIdOf the resource. */
  readonly patientId: string | undefined;
  /** careWindowEndMs of the resource (isInCareWindow is `careWindowEnd >= start`). */
  readonly careWindowEnd: number;
  /** A Location's partOf.reference. */
  readonly partOf: string | undefined;
}

/** The scope facts of a resource (the patient and the care window's end are read only when asked for). */
export function scopeFactsOf(resource: Resource): ScopeFacts {
  return {
    resourceType: resource.resourceType,
    id: resource.id,
    get patientId() {
      return patientIdOf(resource);
    },
    get careWindowEnd() {
      return careWindowEndMs(resource);
    },
    get partOf() {
      return resource.resourceType === 'Location' ? resource.partOf?.reference : undefined;
    },
  };
}

/**
 * Whether a resource belongs on this workstation, from its scope facts: the ward's patients' care
 * within their cache windows, its Locations, staff. (Patients who left keep their changes until
 * they are purged.)
 */
export function keepFactsInScope(
  context: PullContext,
  pageLocations: ReadonlyMap<string, Resource> = new Map(),
): (facts: ScopeFacts) => boolean {
  const readLocation = (id: string): Resource | null => pageLocations.get(id) ?? context.vault.resources.read('Location', id);
  return (facts) => {
    switch (facts.resourceType) {
      case 'Practitioner':
        return true;
      case 'Location': {
        const { id, partOf } = facts;
        if (typeof id !== 'string') return false;
        const self = { resourceType: 'Location', id, ...(partOf === undefined ? {} : { partOf: { reference: partOf } }) } as Resource;
        return isOnWard(id, context.wardId, (at) => (at === id ? self : readLocation(at)));
      }
      default: {
        const patientId = facts.patientId;
        if (patientId === undefined) return false;
        if (context.censusIds.has(patientId)) {
          const windowStart = context.windowStarts.get(patientId);
          return windowStart === undefined || facts.careWindowEnd >= windowStart;
        }
        return context.knownIds.has(patientId);
      }
    }
  };
}

/**
 * Whether a resource belongs on this workstation (keepFactsInScope of its facts).
 */
export function keepInScope(
  context: PullContext,
  pageLocations: ReadonlyMap<string, Resource> = new Map(),
): (resource: Resource) => boolean {
  const keep = keepFactsInScope(context, pageLocations);
  return (resource) => keep(scopeFactsOf(resource));
}

/** Apply options for a page: scope, and the outbox's waiting changes as they are now. */
export function applyOptionsFor(context: PullContext, keep: (resource: Resource) => boolean, seen?: Set<string>): ApplyOptions {
  return {
    vault: context.vault,
    logger: context.logger,
    pendingKeys: context.vault.outbox.pendingResourceKeys(),
    keep,
    ...(seen === undefined ? {} : { seen }),
  };
}
