// The guard's view of a patient from the chart cache: on this ward when the census lists them (an
// in-progress encounter here), restricted when their Patient resource is labelled R or V.
import { isRestricted } from '../session/index.js';
import type { ChartQueries, ResourceStore } from '../vault/index.js';
import type { PatientLookup } from './chart-handlers.js';

export function vaultPatientLookup(
  vault: Pick<ChartQueries, 'census'> & { readonly resources: Pick<ResourceStore, 'read'> },
): PatientLookup {
  return (patientId) => {
    const patient = vault.resources.read('Patient', patientId);
    if (patient === null) return null;
    const onWard = vault.census().some((entry) => entry.patientId === patientId);
    return { id: patientId, onWard, restricted: isRestricted(patient) };
  };
}
