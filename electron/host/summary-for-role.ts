// A chart summary cut down to the categories the reader's role may see (the permission table's
// `category:read:*` actions): a clerk opening a chart gets demographics and the encounter, never
// allergies, problems, medications, vital signs, labs or alerts.
import { isPermitted, type StaffRole } from '../session/index.js';
import type { PatientSummary } from '../vault/index.js';

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
  };
}
