import { describe, expect, it } from 'vitest';
import { PolicyError } from '../policy/index.js';
import { startFailureMessage } from './start-failure.js';

describe('the message shown when Wardline refuses to start', () => {
  it("is the room's own message, with its code for IT", () => {
    const message = startFailureMessage(
      new PolicyError('POLICY_NOT_SIGNED', 'The machine policy at /etc/wardline/policy.json is not signed, so Wardline will not start.'),
    );
    expect(message).toContain('is not signed, so Wardline will not start.');
    expect(message).toContain('(PolicyError POLICY_NOT_SIGNED)');
  });

  it('does not show the text of an unexpected error (it could hold a path or data), only where to look', () => {
    const message = startFailureMessage(new TypeError('cannot read /home/nurse/secret'));
    expect(message).not.toContain('/home/nurse');
    expect(message).toContain('logs/wardline.log');
  });
});
