// How allergies read on the census, the chart banner and the printed MAR: one wording for the three
// states (allergies listed, "No known allergies" documented, nothing recorded) and for each allergy.

export type AllergyRecordState = 'allergies' | 'none-known' | 'not-recorded';

export const ALLERGY_WORDING: Readonly<Record<AllergyRecordState, string>> = {
  allergies: 'Allergies',
  'none-known': 'No known allergies',
  'not-recorded': 'Allergies not recorded',
};

/** What a reader must do when nothing is recorded (not the same as "No known allergies"). */
export const ALLERGIES_NOT_RECORDED_ADVICE =
  'This is not "No known allergies": confirm allergies with the patient or the notes before giving any medicine.';

export function allergyState(allergyCount: number, noKnownAllergies: boolean): AllergyRecordState {
  if (allergyCount > 0) return 'allergies';
  return noKnownAllergies ? 'none-known' : 'not-recorded';
}

/** "Penicillin (Anaphylaxis) — high risk": the substance, its reactions, and high criticality. */
export function allergyText(allergy: {
  readonly substance: string;
  readonly reactions: readonly string[];
  readonly criticality: string | null;
}): string {
  const reactions = allergy.reactions.length > 0 ? ` (${allergy.reactions.join(', ')})` : '';
  return `${allergy.substance}${reactions}${allergy.criticality === 'high' ? ' — high risk' : ''}`;
}
