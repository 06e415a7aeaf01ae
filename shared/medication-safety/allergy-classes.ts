// Right drug against the allergies: a drug in the same class as a recorded allergy (penicillin
// allergy and ceftriaxone: beta-lactam cross-reactivity) asks for a reason before it is given.
// The table covers the generator's drugs and allergies; a site adds classes or members through the
// machine policy (medication.allergyClasses, see docs/OPERATIONS.md), merged with this table.

export interface DrugClass {
  readonly id: string;
  readonly label: string;
  /** RxNorm codes of the members: ingredients and the clinical drugs ordered. */
  readonly rxnorm: readonly string[];
  /** Lower-case word starts that name a member in free text ("cef" for the cephalosporins). */
  readonly names: readonly string[];
}

export const ALLERGY_CLASSES: readonly DrugClass[] = [
  {
    id: 'beta-lactam',
    label: 'Beta-lactam antibiotics (penicillins and cephalosporins)',
    rxnorm: ['70618', '723', '733', '2193', '1665021'],
    names: ['penicillin', 'amoxicillin', 'ampicillin', 'flucloxacillin', 'piperacillin', 'cef', 'ceph'],
  },
  {
    id: 'sulfonamide',
    label: 'Sulfonamides (sulfamethoxazole; furosemide and thiazides carry the sulfonamide group)',
    rxnorm: ['10180', '4603', '313988', '5487', '310798'],
    names: ['sulfa', 'sulpha', 'co-trimoxazole', 'trimethoprim-sulfamethoxazole', 'furosemide', 'hydrochlorothiazide'],
  },
  {
    id: 'nsaid',
    label: 'NSAIDs and salicylates (aspirin, ibuprofen)',
    rxnorm: ['1191', '243670', '5640'],
    names: ['aspirin', 'acetylsalicylic', 'ibuprofen', 'naproxen', 'diclofenac'],
  },
  {
    id: 'opioid',
    label: 'Opioids (codeine, morphine)',
    rxnorm: ['2670', '7052'],
    names: ['codeine', 'morphine', 'oxycodone', 'tramadol', 'hydromorphone'],
  },
  {
    id: 'heparin',
    label: 'Heparins (heparin, enoxaparin)',
    rxnorm: ['5224', '67108', '854235'],
    names: ['heparin', 'enoxaparin', 'dalteparin'],
  },
];

/** A recorded allergy or a drug ordered: its codes (RxNorm where known) and its text. */
export interface SubstanceName {
  readonly codes: readonly string[];
  readonly text: string;
}

export interface AllergyClassConflict {
  readonly classId: string;
  readonly classLabel: string;
  /** The allergy's text as recorded ("Penicillin"). */
  readonly allergy: string;
}

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^a-z0-9-]+/)
    .filter((w) => w.length > 0);

function isMember(drugClass: DrugClass, substance: SubstanceName): boolean {
  if (substance.codes.some((code) => drugClass.rxnorm.includes(code))) return true;
  return words(substance.text).some((word) => drugClass.names.some((name) => word.startsWith(name)));
}

/** The classes `drug` shares with a recorded allergy, one conflict per class and allergy (an allergy recorded twice counts once). */
export function allergyClassConflicts(
  allergies: readonly SubstanceName[],
  drug: SubstanceName,
  classes: readonly DrugClass[] = ALLERGY_CLASSES,
): AllergyClassConflict[] {
  const conflicts: AllergyClassConflict[] = [];
  for (const drugClass of classes) {
    if (!isMember(drugClass, drug)) continue;
    for (const allergy of allergies) {
      const seen = conflicts.some((c) => c.classId === drugClass.id && c.allergy.toLowerCase() === allergy.text.toLowerCase());
      if (!seen && isMember(drugClass, allergy))
        conflicts.push({ classId: drugClass.id, classLabel: drugClass.label, allergy: allergy.text });
    }
  }
  return conflicts;
}
