import { describe, expect, it } from 'vitest';
import { homeView, restoredView } from './views.js';

describe('the screen a user lands on', () => {
  it('brings back the chart the owner had open', () => {
    expect(restoredView('nurse', { screen: 'chart', patientId: 'p1' })).toEqual({ screen: 'chart', patientId: 'p1' });
  });

  it('starts clinical staff on the census and admins on the audit trail', () => {
    expect(homeView('physician')).toEqual({ screen: 'census' });
    expect(homeView('admin')).toEqual({ screen: 'audit' });
    expect(restoredView('clerk', null)).toEqual({ screen: 'census' });
  });

  it('never restores a screen the role is not offered', () => {
    expect(restoredView('nurse', { screen: 'audit' })).toEqual({ screen: 'census' });
    expect(restoredView('admin', { screen: 'chart', patientId: 'p1' })).toEqual({ screen: 'audit' });
  });
});
