import { describe, expect, it } from 'vitest';
import { visibleTabs } from './chart-tabs.js';

describe('the chart tabs a role sees', () => {
  it('gives a nurse every tab and a clerk only the summary', () => {
    expect(visibleTabs('nurse').map((t) => t.label)).toEqual(['Summary', 'Vital signs', 'MAR', 'Labs', 'Notes', 'Problems', 'Medications']);
    expect(visibleTabs('clerk').map((t) => t.label)).toEqual(['Summary']);
  });
});
