import { describe, expect, it } from 'vitest';
import { HostRequestError } from '../../host-api.js';
import { attemptHostRequest, NOT_TRIED } from './host-attempt.js';

describe("a form's attempt at a host request", () => {
  it('hands the answer on and is done when the host accepts', async () => {
    const answers: string[] = [];
    const attempt = await attemptHostRequest(
      () => Promise.resolve('granted'),
      (answer) => answers.push(answer),
    );
    expect(attempt).toEqual({ failure: null, done: true });
    expect(answers).toEqual(['granted']);
  });

  it("shows the host's refusal in its own words and lets the user try again", async () => {
    const answers: string[] = [];
    const attempt = await attemptHostRequest(
      () => Promise.reject(new HostRequestError('BTG_REASON_REQUIRED', 'Give a reason of at least 10 characters.')),
      (answer: string) => answers.push(answer),
    );
    expect(attempt).toEqual({ failure: 'Give a reason of at least 10 characters.', done: false });
    expect(answers).toEqual([]);
  });

  it('never shows the raw message of an unexpected error', async () => {
    const attempt = await attemptHostRequest(
      () => Promise.reject(new TypeError('Cannot read properties of undefined (reading "patientId")')),
      () => undefined,
    );
    expect(attempt.done).toBe(false);
    expect(attempt.failure).not.toContain('patientId');
    expect(attempt.failure).toMatch(/Try again/);
    expect(NOT_TRIED).toEqual({ failure: null, done: false });
  });
});
