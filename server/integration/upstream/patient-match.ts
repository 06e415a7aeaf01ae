// One patient at the hub, whichever path brought them first. The ADT feed creates a Patient under a
// hub id with the MRN of PID-3; the mirror stores the EHR's Patient under the EHR's id with the same
// MRN (upstream-resource.ts adds the hub's MRN identifier). When the mirror writes an EHR Patient
// whose MRN a hub record not from the EHR already carries (the ADT feed admitted them before the
// mirror saw them), that record is merged into the EHR's, in the same transaction as the page: its
// chart (the ADT Encounter, documentation) is re-pointed at the EHR's Patient and it is kept inactive
// with a `replaced-by` link, as an A40 merge does. The other way round needs nothing: the ADT feed
// finds the EHR's Patient by its MRN.
import { MRN_SYSTEM, replacedBy, type Patient } from '../../../shared/fhir/index.js';
import type { FeedWriter } from '../../fhir/index.js';
import { mergePatientRecords } from '../adt/patient-merge.js';
import { isFromUpstream } from './upstream-resource.js';

/** Merges hub records sharing an EHR Patient's MRN into it; returns the EHR Patients (ids) a record was merged into, once per merge. */
export async function matchAdmittedPatients(feed: FeedWriter, patients: readonly Patient[], baseUrl: string): Promise<string[]> {
  const merged: string[] = [];
  for (const patient of patients) {
    const mrn = patient.identifier?.find((identifier) => identifier.system === MRN_SYSTEM)?.value;
    if (mrn === undefined || patient.id === undefined) continue;
    const survivor = await feed.read<Patient>('Patient', patient.id);
    if (survivor === null || !isFromUpstream(baseUrl, survivor.resource)) continue;
    const others = (await feed.findByIdentifier<Patient>('Patient', MRN_SYSTEM, mrn, 10)).filter(
      (other) => other.resource.id !== patient.id && replacedBy(other.resource) === null && !isFromUpstream(baseUrl, other.resource),
    );
    for (const other of others) {
      await mergePatientRecords(feed, other, survivor, { linkSurvivor: false });
      merged.push(patient.id);
    }
  }
  return merged;
}
