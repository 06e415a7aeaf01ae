import { describe, expect, it } from 'vitest';
import { allergyStatus, codeStatus, otherAlerts } from './banner-facts.js';

describe('the patient banner', () => {
  it('lists allergies with their reactions and marks the high-risk ones', () => {
    expect(
      allergyStatus({
        noKnownAllergies: false,
        allergies: [{ id: 'a1', substance: 'Penicillin', criticality: 'high', reactions: ['Anaphylaxis'], verification: 'confirmed' }],
      }),
    ).toEqual({ kind: 'allergies', items: [{ id: 'a1', text: 'Penicillin (Anaphylaxis) — high risk', highRisk: true }] });
  });

  it('tells "no known allergies" apart from allergies never recorded', () => {
    expect(allergyStatus({ allergies: [], noKnownAllergies: true })).toEqual({ kind: 'none-known' });
    expect(allergyStatus({ allergies: [], noKnownAllergies: false })).toEqual({ kind: 'not-recorded' });
  });

  it('takes the code status from the advance-directive alert', () => {
    const alerts = [
      { id: 'f1', text: 'DNR: do not attempt cardiopulmonary resuscitation', category: 'advance-directive' },
      { id: 'f2', text: 'Falls risk', category: 'safety' },
    ];
    expect(codeStatus(alerts)).toBe('DNR: do not attempt cardiopulmonary resuscitation');
    expect(otherAlerts(alerts).map((a) => a.id)).toEqual(['f2']);
    expect(codeStatus([])).toBeNull();
  });
});
