// Doses for tests of medication administration, from a generated patient: the chart's MRN (the
// second identifier), and a scheduled order's next dose after the ward's `now` (the generator
// records every dose until then), given on time at its ordered dose, or an as-needed order.
import type { AllergyIntolerance, MedicationRequest } from '../../shared/fhir/index.js';
import { MRN_SYSTEM } from '../../shared/fhir/index.js';
import { allergyClassConflicts } from '../../shared/medication-safety/index.js';
import type { SyntheticPatient } from '../../shared/synthetic/index.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export function mrnOf(patient: SyntheticPatient): string {
  return patient.patient.identifier!.find((i) => i.system === MRN_SYSTEM)!.value!;
}

export function activeOrders(patient: SyntheticPatient): MedicationRequest[] {
  return patient.resources.filter((r): r is MedicationRequest => r.resourceType === 'MedicationRequest' && r.status === 'active');
}

export function isPrn(order: MedicationRequest): boolean {
  return order.dosageInstruction?.[0]?.asNeededCodeableConcept !== undefined;
}

export function allergiesOf(patient: SyntheticPatient): AllergyIntolerance[] {
  return patient.resources.filter((r): r is AllergyIntolerance => r.resourceType === 'AllergyIntolerance');
}

/** The first scheduled time of `order` after `nowIso` (the generator's times of day are UTC). */
export function nextSlot(order: MedicationRequest, nowIso: string, after = 0): string {
  const times = order.dosageInstruction![0]!.timing!.repeat!.timeOfDay!;
  const now = Date.parse(nowIso);
  const midnight = now - (now % DAY);
  const slots: number[] = [];
  for (let day = 0; day < 3; day += 1) {
    for (const time of times) {
      const [h, m] = time.split(':').map(Number) as [number, number];
      const slot = midnight + day * DAY + h * 60 * MINUTE + m * MINUTE;
      if (slot > now) slots.push(slot);
    }
  }
  return new Date(slots.sort((a, b) => a - b)[after]!).toISOString();
}

/** A dose of a scheduled `order` given on time at its next slot, as ordered, with the patient confirmed. */
export function correctDose(patient: SyntheticPatient, order: MedicationRequest, nowIso: string) {
  const ordered = order.dosageInstruction![0]!.doseAndRate![0]!.doseQuantity!;
  const scheduledAt = nextSlot(order, nowIso);
  return {
    medicationRequestId: order.id!,
    given: true,
    scheduledAt,
    effectiveAt: scheduledAt,
    dose: { value: ordered.value!, unit: ordered.code! },
    patientConfirmation: { method: 'typed' as const, value: mrnOf(patient) },
  };
}

/**
 * A daily scheduled order of `patient` whose drug shares no class with the patient's allergies
 * (nothing asks a reason). Weekly orders are left out: nextSlot lays times on every day.
 */
export function plainScheduledOrder(patient: SyntheticPatient): MedicationRequest | undefined {
  const allergies = allergiesOf(patient).map((a) => ({
    codes: (a.code?.coding ?? []).map((c) => c.code!),
    text: a.code?.text ?? a.code?.coding?.[0]?.display ?? '',
  }));
  return activeOrders(patient).find((order) => {
    if (isPrn(order) || order.dosageInstruction?.[0]?.timing?.repeat?.periodUnit === 'wk') return false;
    const concept = order.medicationCodeableConcept!;
    const drug = { codes: (concept.coding ?? []).map((c) => c.code!), text: concept.text ?? '' };
    return allergyClassConflicts(allergies, drug).length === 0;
  });
}
