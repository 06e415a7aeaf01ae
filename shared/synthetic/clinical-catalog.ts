// The clinical vocabulary the generator draws from: problems (SNOMED CT), allergies (RxNorm
// ingredients, SNOMED CT substances), medications (RxNorm clinical drugs) with their usual inpatient
// regimen, and reasons a dose is held. Traits tie a problem to the physiology and the drugs it implies.

export type Trait =
  | 'hypertension'
  | 'diabetes'
  | 'ckd'
  | 'copd'
  | 'heartFailure'
  | 'atrialFibrillation'
  | 'anemia'
  | 'infection'
  | 'pain'
  | 'cognitiveImpairment';

export type MedicationKey =
  | 'amlodipine'
  | 'lisinopril'
  | 'hydrochlorothiazide'
  | 'metformin'
  | 'enoxaparin'
  | 'metoprolol'
  | 'furosemide'
  | 'atorvastatin'
  | 'simvastatin'
  | 'warfarin'
  | 'aspirin'
  | 'clopidogrel'
  | 'acetaminophen'
  | 'ceftriaxone';

export interface ProblemDefinition {
  readonly code: string;
  readonly display: string;
  readonly traits: readonly Trait[];
  readonly medications: readonly MedicationKey[];
}

/** Long-term problems: 1–5 of these per patient, most active, some resolved. */
export const CHRONIC_PROBLEMS: readonly ProblemDefinition[] = [
  {
    code: '38341003',
    display: 'Hypertensive disorder',
    traits: ['hypertension'],
    medications: ['amlodipine', 'lisinopril', 'hydrochlorothiazide'],
  },
  { code: '44054006', display: 'Diabetes mellitus type 2', traits: ['diabetes'], medications: ['metformin'] },
  { code: '709044004', display: 'Chronic kidney disease', traits: ['ckd'], medications: ['furosemide'] },
  { code: '13645005', display: 'Chronic obstructive lung disease', traits: ['copd'], medications: [] },
  { code: '84114007', display: 'Heart failure', traits: ['heartFailure'], medications: ['furosemide', 'metoprolol', 'lisinopril'] },
  { code: '49436004', display: 'Atrial fibrillation', traits: ['atrialFibrillation'], medications: ['warfarin', 'metoprolol'] },
  { code: '271737000', display: 'Anemia', traits: ['anemia'], medications: [] },
  { code: '55822004', display: 'Hyperlipidemia', traits: [], medications: ['atorvastatin', 'simvastatin'] },
  { code: '22298006', display: 'Myocardial infarction', traits: [], medications: ['aspirin', 'clopidogrel', 'atorvastatin', 'metoprolol'] },
  { code: '230690007', display: 'Cerebrovascular accident', traits: ['cognitiveImpairment'], medications: ['aspirin', 'simvastatin'] },
  { code: '396275006', display: 'Osteoarthritis', traits: ['pain'], medications: ['acetaminophen'] },
  { code: '40930008', display: 'Hypothyroidism', traits: [], medications: [] },
  { code: '35489007', display: 'Depressive disorder', traits: [], medications: [] },
  { code: '26929004', display: "Alzheimer's disease", traits: ['cognitiveImpairment'], medications: [] },
  { code: '195967001', display: 'Asthma', traits: [], medications: [] },
];

/** Past episodes that show up as resolved problems. */
export const RESOLVED_PROBLEMS: readonly ProblemDefinition[] = [
  { code: '233604007', display: 'Pneumonia', traits: [], medications: [] },
  { code: '68566005', display: 'Urinary tract infectious disease', traits: [], medications: [] },
  { code: '128045006', display: 'Cellulitis', traits: [], medications: [] },
  { code: '43339004', display: 'Hypokalemia', traits: [], medications: [] },
  { code: '128053003', display: 'Deep venous thrombosis', traits: [], medications: [] },
];

/** Why the patient is on the ward now: the Encounter's reasonCode and an active encounter diagnosis. */
export const ADMISSION_REASONS: readonly ProblemDefinition[] = [
  { code: '233604007', display: 'Pneumonia', traits: ['infection'], medications: ['ceftriaxone', 'enoxaparin'] },
  { code: '68566005', display: 'Urinary tract infectious disease', traits: ['infection'], medications: ['ceftriaxone', 'enoxaparin'] },
  { code: '128045006', display: 'Cellulitis', traits: ['infection', 'pain'], medications: ['ceftriaxone', 'acetaminophen'] },
  { code: '91302008', display: 'Sepsis', traits: ['infection'], medications: ['ceftriaxone', 'enoxaparin'] },
  { code: '5913000', display: 'Fracture of neck of femur', traits: ['pain'], medications: ['acetaminophen', 'enoxaparin'] },
  { code: '84114007', display: 'Heart failure', traits: ['heartFailure'], medications: ['furosemide', 'enoxaparin'] },
  { code: '59282003', display: 'Pulmonary embolism', traits: ['pain'], medications: ['enoxaparin', 'acetaminophen'] },
  { code: '230690007', display: 'Cerebrovascular accident', traits: ['cognitiveImpairment'], medications: ['aspirin', 'atorvastatin'] },
];

export type Route = 'oral' | 'subcutaneous' | 'intravenous';

export const ROUTES: Readonly<Record<Route, { code: string; display: string; text: string }>> = {
  oral: { code: '26643006', display: 'Oral route', text: 'orally' },
  subcutaneous: { code: '34206005', display: 'Subcutaneous route', text: 'subcutaneously' },
  intravenous: { code: '47625008', display: 'Intravenous route', text: 'intravenously' },
};

export interface MedicationDefinition {
  readonly rxnorm: string;
  readonly display: string;
  /** What the order says in words, e.g. "Amlodipine". */
  readonly name: string;
  readonly doseMg: number;
  readonly route: Route;
  /** Scheduled times of day (hh:mm:ss); their count is the daily frequency. */
  readonly times: readonly string[];
  /** RxNorm ingredient code, to keep a patient from being prescribed what they are allergic to. */
  readonly ingredient: string;
}

export const MEDICATIONS: Readonly<Record<MedicationKey, MedicationDefinition>> = {
  amlodipine: {
    rxnorm: '197361',
    display: 'amlodipine 5 MG Oral Tablet',
    name: 'Amlodipine',
    doseMg: 5,
    route: 'oral',
    times: ['09:00:00'],
    ingredient: '17767',
  },
  lisinopril: {
    rxnorm: '314076',
    display: 'lisinopril 10 MG Oral Tablet',
    name: 'Lisinopril',
    doseMg: 10,
    route: 'oral',
    times: ['09:00:00'],
    ingredient: '29046',
  },
  hydrochlorothiazide: {
    rxnorm: '310798',
    display: 'hydrochlorothiazide 25 MG Oral Tablet',
    name: 'Hydrochlorothiazide',
    doseMg: 25,
    route: 'oral',
    times: ['09:00:00'],
    ingredient: '5487',
  },
  metformin: {
    rxnorm: '860975',
    display: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet',
    name: 'Metformin XR',
    doseMg: 500,
    route: 'oral',
    times: ['08:00:00', '18:00:00'],
    ingredient: '6809',
  },
  enoxaparin: {
    rxnorm: '854235',
    display: '0.4 ML enoxaparin sodium 100 MG/ML Prefilled Syringe',
    name: 'Enoxaparin',
    doseMg: 40,
    route: 'subcutaneous',
    times: ['18:00:00'],
    ingredient: '67108',
  },
  metoprolol: {
    rxnorm: '866924',
    display: 'metoprolol tartrate 25 MG Oral Tablet',
    name: 'Metoprolol tartrate',
    doseMg: 25,
    route: 'oral',
    times: ['09:00:00', '21:00:00'],
    ingredient: '6918',
  },
  furosemide: {
    rxnorm: '313988',
    display: 'furosemide 40 MG Oral Tablet',
    name: 'Furosemide',
    doseMg: 40,
    route: 'oral',
    times: ['09:00:00', '14:00:00'],
    ingredient: '4603',
  },
  atorvastatin: {
    rxnorm: '259255',
    display: 'atorvastatin 80 MG Oral Tablet',
    name: 'Atorvastatin',
    doseMg: 80,
    route: 'oral',
    times: ['21:00:00'],
    ingredient: '83367',
  },
  simvastatin: {
    rxnorm: '312961',
    display: 'simvastatin 20 MG Oral Tablet',
    name: 'Simvastatin',
    doseMg: 20,
    route: 'oral',
    times: ['21:00:00'],
    ingredient: '36567',
  },
  warfarin: {
    rxnorm: '855332',
    display: 'warfarin sodium 5 MG Oral Tablet',
    name: 'Warfarin',
    doseMg: 5,
    route: 'oral',
    times: ['18:00:00'],
    ingredient: '11289',
  },
  aspirin: {
    rxnorm: '243670',
    display: 'aspirin 81 MG Oral Tablet',
    name: 'Aspirin',
    doseMg: 81,
    route: 'oral',
    times: ['09:00:00'],
    ingredient: '1191',
  },
  clopidogrel: {
    rxnorm: '309362',
    display: 'clopidogrel 75 MG Oral Tablet',
    name: 'Clopidogrel',
    doseMg: 75,
    route: 'oral',
    times: ['09:00:00'],
    ingredient: '32968',
  },
  acetaminophen: {
    rxnorm: '313782',
    display: 'acetaminophen 325 MG Oral Tablet',
    name: 'Acetaminophen',
    doseMg: 650,
    route: 'oral',
    times: ['06:00:00', '12:00:00', '18:00:00', '22:00:00'],
    ingredient: '161',
  },
  ceftriaxone: {
    rxnorm: '1665021',
    display: 'ceftriaxone 1000 MG Injection',
    name: 'Ceftriaxone',
    doseMg: 1000,
    route: 'intravenous',
    times: ['10:00:00'],
    ingredient: '2193',
  },
};

/** A drug given once a week on one weekday, never daily (build-weekly-order.ts): oral methotrexate, 15 mg. */
export const WEEKLY_METHOTREXATE: MedicationDefinition = {
  rxnorm: '105585',
  display: 'methotrexate 2.5 MG Oral Tablet',
  name: 'Methotrexate',
  doseMg: 15,
  route: 'oral',
  times: ['08:00:00'],
  ingredient: '6851',
};

/** Drugs added to reach a patient's medication count when their problems imply too few. */
export const COMMON_WARD_MEDICATIONS: readonly MedicationKey[] = [
  'acetaminophen',
  'enoxaparin',
  'amlodipine',
  'simvastatin',
  'aspirin',
  'lisinopril',
  'metoprolol',
];

export interface AllergyDefinition {
  readonly system: 'rxnorm' | 'snomed';
  readonly code: string;
  readonly display: string;
  readonly category: 'medication' | 'food' | 'environment';
  readonly type: 'allergy' | 'intolerance';
  readonly reactions: readonly { code: string; display: string }[];
}

const RASH = { code: '271807003', display: 'Eruption of skin' };
const HIVES = { code: '247472004', display: 'Wheal' };
const ANAPHYLAXIS = { code: '39579001', display: 'Anaphylaxis' };
const NAUSEA = { code: '422587007', display: 'Nausea' };
const ITCH = { code: '418290006', display: 'Itching of skin' };
const DYSPNEA = { code: '267036007', display: 'Dyspnea' };

export const ALLERGIES: readonly AllergyDefinition[] = [
  {
    system: 'rxnorm',
    code: '70618',
    display: 'Penicillin',
    category: 'medication',
    type: 'allergy',
    reactions: [RASH, HIVES, ANAPHYLAXIS],
  },
  { system: 'rxnorm', code: '10180', display: 'Sulfamethoxazole', category: 'medication', type: 'allergy', reactions: [RASH, ITCH] },
  { system: 'rxnorm', code: '2670', display: 'Codeine', category: 'medication', type: 'intolerance', reactions: [NAUSEA, ITCH] },
  { system: 'rxnorm', code: '7052', display: 'Morphine', category: 'medication', type: 'intolerance', reactions: [NAUSEA, ITCH] },
  { system: 'rxnorm', code: '1191', display: 'Aspirin', category: 'medication', type: 'allergy', reactions: [HIVES, DYSPNEA] },
  { system: 'rxnorm', code: '5640', display: 'Ibuprofen', category: 'medication', type: 'allergy', reactions: [HIVES, RASH] },
  { system: 'rxnorm', code: '723', display: 'Amoxicillin', category: 'medication', type: 'allergy', reactions: [RASH] },
  { system: 'snomed', code: '762952008', display: 'Peanut', category: 'food', type: 'allergy', reactions: [ANAPHYLAXIS, HIVES] },
  { system: 'snomed', code: '111088007', display: 'Latex', category: 'environment', type: 'allergy', reactions: [HIVES, ITCH] },
  { system: 'snomed', code: '260147004', display: 'House dust mite', category: 'environment', type: 'allergy', reactions: [DYSPNEA, ITCH] },
];

/** AllergyIntolerance.code of a documented "no known allergies" record. */
export const NO_KNOWN_ALLERGY = { code: '716186003', display: 'No known allergy' } as const;

/** Why a scheduled dose was held (MedicationAdministration.statusReason for status not-done). */
export const HOLD_REASONS: readonly { code?: string; display?: string; text: string }[] = [
  { code: '182895007', display: 'Drug declined by patient', text: 'Patient declined' },
  { text: 'Held: nil by mouth for procedure' },
  { text: 'Held: patient off the ward' },
  { text: 'Held: outside prescribed parameters' },
  { text: 'Held: patient asleep, dose not due until review' },
];
