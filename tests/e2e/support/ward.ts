// What the suite needs to know of the synthetic ward: each patient's name as the census shows it
// ("Family, Given Middle"), the identifiers that must never outlive a lock (names, MRNs), the
// patients a nurse may open (not restricted) and what their charts hold.
import type { AllergyIntolerance, MedicationRequest, Patient } from '../../../shared/fhir/index.js';
import type { SyntheticPatient, SyntheticWard } from '../../../shared/synthetic/index.js';

/** The name as the census and the chart banner show it (the host's personName). */
export function censusName(patient: Patient): string {
  const names = patient.name ?? [];
  const name = names.find((n) => n.use === 'official') ?? names.find((n) => n.use === 'usual') ?? names[0];
  const given = (name?.given ?? []).join(' ');
  const family = name?.family ?? '';
  return family !== '' && given !== '' ? `${family}, ${given}` : family || given;
}

export function mrnOf(patient: Patient): string {
  const mrn = patient.identifier?.find((i) => i.system === 'urn:wardline:mrn')?.value;
  if (mrn === undefined) throw new Error('a synthetic patient without an MRN');
  return mrn;
}

export function isRestricted(p: SyntheticPatient): boolean {
  return (p.patient.meta?.security ?? []).some((label) => label.code === 'R');
}

/** Every patient's census name, "Given Family" forms and MRN: none may survive a lock. */
export function patientIdentifiers(ward: SyntheticWard): string[] {
  return [
    ...new Set(
      ward.patients.flatMap((p) => {
        const name = p.patient.name?.[0];
        const given = name?.given ?? [];
        const family = name?.family ?? '';
        return [censusName(p.patient), `${given[0] ?? ''} ${family}`, `${given.join(' ')} ${family}`, mrnOf(p.patient)];
      }),
    ),
  ];
}

/** Allergy substances recorded for the patient (excluding "no known allergies"). */
export function allergiesOf(p: SyntheticPatient): string[] {
  return p.resources
    .filter((r): r is AllergyIntolerance => r.resourceType === 'AllergyIntolerance')
    .map((a) => a.code?.text ?? a.code?.coding?.[0]?.display ?? '')
    .filter((text) => text !== '' && !/no known/i.test(text));
}

export function activeOrdersOf(p: SyntheticPatient): MedicationRequest[] {
  return p.resources.filter((r): r is MedicationRequest => r.resourceType === 'MedicationRequest' && r.status === 'active');
}

/** The first patient a nurse may open (not restricted) that matches `wanted`. */
export function nurseablePatient(ward: SyntheticWard, wanted: (p: SyntheticPatient) => boolean = () => true, skip = 0): SyntheticPatient {
  const found = ward.patients.filter((p) => !isRestricted(p) && wanted(p))[skip];
  if (found === undefined) throw new Error('the synthetic ward has no patient the test can use; change the seed or the number of patients');
  return found;
}
