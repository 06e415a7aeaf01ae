import { describe, expect, it } from 'vitest';
import type { SetupStateData } from '../../../../shared/contract/index.js';
import { setupWording } from './setup-text.js';

const FILES = { policyFile: '/etc/wardline/policy.json', tokenFile: '/etc/wardline/enrollment/token' };
const state = (partial: Partial<SetupStateData>): SetupStateData => ({
  phase: 'not-set-up',
  progress: null,
  problem: null,
  ...FILES,
  ...partial,
});

describe('the set-up screen in words', () => {
  it('says a workstation without a token is not set up, and what IT must do, with where each file goes', () => {
    const words = setupWording(state({ problem: { code: 'NOT_SET_UP', message: 'x' } }));
    expect(words.title).toBe('This workstation is not set up');
    expect(words.itSteps).toHaveLength(3);
    expect(words.itSteps[0]).toContain('/etc/wardline/policy.json');
    expect(words.itSteps[1]).toContain('wardline-hub token --ward W');
    expect(words.itSteps[1]).toContain('/etc/wardline/enrollment/token');
    expect(words.codeForIt).toBe('NOT_SET_UP');
  });

  it("shows the host's plain message when setting up failed, and counts patients during the first sync", () => {
    const failed = setupWording(
      state({ phase: 'failed', problem: { code: 'PIN_MISMATCH', message: 'The hub presented a certificate that does not match.' } }),
    );
    expect(failed.lead).toBe('The hub presented a certificate that does not match.');
    expect(failed.codeForIt).toBe('PIN_MISMATCH');
    expect(setupWording(state({ phase: 'first-sync', progress: { loaded: 3, total: 12 } })).progressLabel).toBe('3 of 12 patients');
    expect(setupWording(state({ phase: 'enrolling' })).itSteps).toEqual([]);
  });
});
