// What the patient banner says, derived from the summary: allergies (or "No known allergies", or
// "Allergies not recorded"), code status (the advance-directive flag) and the other alerts.
import type { ChartSummaryData, PatientSummaryData } from '../../../../shared/contract/index.js';
import { allergyState, allergyText } from '../../../../shared/display/index.js';

export type AllergyStatus =
  | { readonly kind: 'allergies'; readonly items: readonly { readonly id: string; readonly text: string; readonly highRisk: boolean }[] }
  | { readonly kind: 'none-known' }
  | { readonly kind: 'not-recorded' };

/** From the summary as the role received it (absent allergies: the role may not read them, and the banner does not ask). */
export function allergyStatus(summary: Pick<ChartSummaryData, 'allergies' | 'noKnownAllergies'>): AllergyStatus {
  const allergies = summary.allergies ?? [];
  if (allergies.length > 0) {
    return {
      kind: 'allergies',
      items: allergies.map((a) => ({
        id: a.id,
        text: allergyText(a),
        highRisk: a.criticality === 'high',
      })),
    };
  }
  return { kind: allergyState(0, summary.noKnownAllergies === true) as 'none-known' | 'not-recorded' };
}

const CODE_STATUS_CATEGORY = 'advance-directive';

/** The code status alert's text, or null when none is recorded. */
export function codeStatus(alerts: PatientSummaryData['alerts']): string | null {
  return alerts.find((a) => a.category === CODE_STATUS_CATEGORY)?.text ?? null;
}

/** The alerts other than the code status. */
export function otherAlerts(alerts: PatientSummaryData['alerts']): PatientSummaryData['alerts'] {
  return alerts.filter((a) => a.category !== CODE_STATUS_CATEGORY);
}

const SEX: Readonly<Record<string, string>> = { male: 'Male', female: 'Female', other: 'Other', unknown: 'Unknown' };

export function sexText(gender: string | null): string {
  return gender === null ? 'Not recorded' : (SEX[gender] ?? gender);
}
