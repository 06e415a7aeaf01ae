// Whether the vault holds a patient's chart: their Patient resource is cached. A conflict or an
// outbox entry may outlive the chart (a patient purged before the keep-until-settled rule); what is
// done for them then touches no chart the vault no longer holds.
import type { ResourceStore } from './resource-store.js';

export function holdsPatient(resources: Pick<ResourceStore, 'versionOf'>, patientId: string): boolean {
  return resources.versionOf('Patient', patientId) !== null;
}
