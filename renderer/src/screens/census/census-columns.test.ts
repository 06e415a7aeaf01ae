// Which census columns a role is shown, from the field table of shared/access: a nurse and a
// physician every column, a clerk bed, patient, age and sex and data as of (no empty clinical ones).
import { describe, expect, it } from 'vitest';
import { censusColumns } from './census-row.js';

const names = (role: Parameters<typeof censusColumns>[0]): string[] => censusColumns(role).map((column) => column.name);

describe('the census columns of a role', () => {
  it('shows a nurse and a physician every column', () => {
    const all = ['Bed', 'Patient', 'Age and sex', 'Alerts', 'Allergies', 'Last vitals', 'Vitals age', 'NEWS2', 'Data as of'];
    expect(names('nurse')).toEqual(all);
    expect(names('physician')).toEqual(all);
  });

  it('shows a clerk no alerts, allergies, vital signs or NEWS2 column', () => {
    expect(names('clerk')).toEqual(['Bed', 'Patient', 'Age and sex', 'Data as of']);
  });
});
