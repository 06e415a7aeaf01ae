// What the pull steps of one sync cycle share: the client, the vault, the ward, the census of this
// cycle with each patient's cache window, and the running counts.
import type { Logger } from 'pino';
import { isInCareWindow, patientIdOf, type Resource } from '../../shared/fhir/index.js';
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
 * Whether a resource belongs on this workstation: the ward's patients' care within their cache
 * windows, its Locations, staff. (Patients who left keep their changes until they are purged.)
 */
export function keepInScope(
  context: PullContext,
  pageLocations: ReadonlyMap<string, Resource> = new Map(),
): (resource: Resource) => boolean {
  const readLocation = (id: string): Resource | null => pageLocations.get(id) ?? context.vault.resources.read('Location', id);
  return (resource) => {
    switch (resource.resourceType) {
      case 'Practitioner':
        return true;
      case 'Location':
        return (
          typeof resource.id === 'string' &&
          isOnWard(resource.id, context.wardId, (id) => (id === resource.id ? resource : readLocation(id)))
        );
      default: {
        const patientId = patientIdOf(resource);
        if (patientId === undefined) return false;
        if (context.censusIds.has(patientId)) {
          const windowStart = context.windowStarts.get(patientId);
          return windowStart === undefined || isInCareWindow(resource, windowStart);
        }
        return context.knownIds.has(patientId);
      }
    }
  };
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
