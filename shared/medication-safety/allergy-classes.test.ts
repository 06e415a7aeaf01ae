import { describe, expect, it } from 'vitest';
import { ALLERGIES, MEDICATIONS } from '../synthetic/index.js';
import { ALLERGY_CLASSES, allergyClassConflicts } from './allergy-classes.js';

const penicillin = { codes: ['70618'], text: 'Penicillin' };
const ceftriaxone = { codes: ['1665021'], text: 'ceftriaxone 1000 MG Injection' };

describe('the allergy classes', () => {
  it('flags ceftriaxone for a penicillin allergy (beta-lactam cross-reactivity), by code or by name', () => {
    expect(allergyClassConflicts([penicillin], ceftriaxone)).toEqual([
      { classId: 'beta-lactam', classLabel: expect.stringContaining('Beta-lactam'), allergy: 'Penicillin' },
    ]);
    expect(allergyClassConflicts([{ codes: [], text: 'penicillins' }], { codes: [], text: 'Cefazolin 1 g IV' })).toHaveLength(1);
  });

  it('does not flag a drug of another class', () => {
    expect(allergyClassConflicts([penicillin], { codes: ['855332'], text: 'warfarin sodium 5 MG Oral Tablet' })).toEqual([]);
    expect(allergyClassConflicts([{ codes: [], text: 'Peanut' }], ceftriaxone)).toEqual([]);
  });

  it('classes every medication allergy of the generator and every generator drug the table names', () => {
    const classed = (codes: string[], text: string) =>
      ALLERGY_CLASSES.some((c) => allergyClassConflicts([{ codes, text }], { codes, text }, [c]).length > 0);
    for (const allergy of ALLERGIES.filter((a) => a.category === 'medication'))
      expect(classed([allergy.code], allergy.display), allergy.display).toBe(true);
    for (const key of ['ceftriaxone', 'furosemide', 'hydrochlorothiazide', 'aspirin', 'enoxaparin'] as const) {
      expect(classed([MEDICATIONS[key].rxnorm], MEDICATIONS[key].display), key).toBe(true);
    }
  });

  it('takes a site’s extra classes in place of the built-in table', () => {
    const site = [{ id: 'macrolide', label: 'Macrolides', rxnorm: [], names: ['erythromycin', 'clarithromycin'] }];
    expect(allergyClassConflicts([{ codes: [], text: 'Erythromycin' }], { codes: [], text: 'Clarithromycin 500 mg' }, site)).toHaveLength(
      1,
    );
  });
});
