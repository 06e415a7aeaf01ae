// A 5-year patient for the renderer benchmark: one synthetic in-patient admitted five years ago,
// with the generator's full history (vitals every 4 h, labs, MAR, notes: ~135,000 resources), fed
// into a running e2e stack's hub as the hospital's EHR would, then loaded by the workstation's
// next sync like any newly admitted patient. A seed of its own keeps it apart from the ward's.
import { importResources } from '../../server/fhir/index.js';
import { generatePatientHistory, generateWard, type SyntheticPatient } from '../../shared/synthetic/index.js';
import { E2E_WARD, type WardlineStack } from '../../tests/support/e2e-harness.js';

export const FIVE_YEARS_DAYS = 5 * 365;

/** Admits the 5-year patient at the stack's hub and syncs the workstation; returns the patient. */
export async function admitFiveYearPatient(stack: WardlineStack, seed: string): Promise<{ patient: SyntheticPatient; resources: number }> {
  const now = new Date();
  now.setUTCMinutes(0, 0, 0);
  const options = { seed, ward: E2E_WARD, now: now.toISOString() };
  // The practitioners its chart refers to are the roster of its own seed's ward.
  const roster = generateWard({ ...options, patients: 0, days: 1 }).practitioners;
  const patient = generatePatientHistory({ ...options, days: FIVE_YEARS_DAYS });
  await importResources(stack.hub.db, [...roster, ...patient.resources], new Date());
  const summary = await stack.host.sync!.syncOnce();
  if (summary.patientsLoaded !== 1)
    throw new Error(`the workstation loaded ${summary.patientsLoaded} new patients, expected the 5-year one`);
  return { patient, resources: patient.resources.length };
}
