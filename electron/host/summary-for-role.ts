// A chart summary cut down to the categories the reader's role may see (the permission table's
// `category:read:*` actions): a clerk opening a chart gets demographics and the encounter, never
// allergies, problems, medications, vital signs, labs or alerts (nor the doses recorded twice, which
// the census rows carry too).
import { isPermitted, type StaffRole } from '../session/index.js';
import type { CensusEntry, PatientSummary } from '../vault/index.js';

export function summaryForRole(summary: PatientSummary, role: StaffRole): PatientSummary {
  const may = (category: 'allergies' | 'problems' | 'medication' | 'vital-signs' | 'laboratory' | 'alerts'): boolean =>
    isPermitted(role, `category:read:${category}`);
  return {
    ...summary,
    allergies: may('allergies') ? summary.allergies : [],
    noKnownAllergies: may('allergies') ? summary.noKnownAllergies : false,
    problems: may('problems') ? summary.problems : [],
    medications: may('medication') ? summary.medications : [],
    vitals: may('vital-signs') ? summary.vitals : [],
    news2: may('vital-signs') ? summary.news2 : null,
    labs: may('laboratory') ? summary.labs : [],
    alerts: may('alerts') ? summary.alerts : [],
    dosesRecordedTwice: may('medication') ? summary.dosesRecordedTwice : [],
  };
}

/** The census rows as the reader's role may see them: the doses recorded twice only for a role that may read medication. */
export function censusForRole(entries: readonly CensusEntry[], role: StaffRole): readonly CensusEntry[] {
  if (isPermitted(role, 'category:read:medication')) return entries;
  return entries.map((entry) => ({ ...entry, dosesRecordedTwice: [] }));
}
