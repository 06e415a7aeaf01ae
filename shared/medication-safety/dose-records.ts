// Which recorded doses stand as the record of their slot: every administration on the MAR (given,
// late, held, in progress…) except one marked "entered in error". A retracted dose was never given
// as recorded: its slot is due (or not recorded) again and the right dose is recorded against it,
// while the retraction stays listed as such. The MAR tab, the printed MAR and the host's frequency
// check (a second dose for a slot already recorded is refused) read this one rule.

/** The MAR states of a dose withdrawn from the record (FHIR MedicationAdministration.status). */
export const RETRACTED_DOSE_STATES: readonly string[] = ['entered-in-error'];

/** A recorded administration as the slot rules need it: its MAR state and its scheduled time. */
export interface RecordedDose {
  readonly state: string;
  readonly scheduledAt: string | null;
}

/** Whether a recorded dose stands as the record of its slot (false once marked entered in error). */
export function standsAsRecord(dose: Pick<RecordedDose, 'state'>): boolean {
  return !RETRACTED_DOSE_STATES.includes(dose.state);
}

/** The doses that stand as records (those not marked entered in error). */
export function standingDoses<T extends Pick<RecordedDose, 'state'>>(doses: readonly T[]): T[] {
  return doses.filter(standsAsRecord);
}
