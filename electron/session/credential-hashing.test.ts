import { describe, expect, it } from 'vitest';
import {
  checkAgainstDummy,
  checkVerifier,
  createVerifier,
  PASSWORD_VERIFIER_PARAMS,
  PIN_VERIFIER_PARAMS,
  pinProblem,
} from './credential-hashing.js';
import { CHEAP_HASHING } from './test-helpers.js';

describe('argon2id verifiers', () => {
  it('verify the right secret only, with a fresh salt each time', async () => {
    const a = await createVerifier('correct horse', CHEAP_HASHING.password);
    const b = await createVerifier('correct horse', CHEAP_HASHING.password);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^\$argon2id\$v=19\$/);
    expect(a.split('$')[3]?.split(',').sort()).toEqual(['m=1024', 'p=1', 't=1']);
    expect(await checkVerifier(a, 'correct horse')).toBe(true);
    expect(await checkVerifier(a, 'correct horsE')).toBe(false);
  });

  it('answer false, not an exception, for a damaged verifier', async () => {
    expect(await checkVerifier('not-a-phc-string', 'x')).toBe(false);
  });

  it('spend argon2 work on an unknown user and answer false', async () => {
    expect(await checkAgainstDummy('anything', CHEAP_HASHING.password)).toBe(false);
  });

  it("use argon2id with at least OWASP's minimum for PINs and RFC 9106's second option for passwords", () => {
    expect(PASSWORD_VERIFIER_PARAMS).toEqual({ memoryKiB: 65_536, timeCost: 3, parallelism: 4 });
    expect(PIN_VERIFIER_PARAMS.memoryKiB * PIN_VERIFIER_PARAMS.timeCost).toBeGreaterThanOrEqual(19 * 1024 * 2);
  });
});

describe('PIN rules', () => {
  it.each(['2468', '13579', '808080', '40718263', '4231'])('accepts %s', (pin) => {
    expect(pinProblem(pin)).toBeNull();
  });
  it.each(['', '123', '123456789', '12 34', '١٢٣٤', '1111', '0123', '6543'])('refuses %j', (pin) => {
    expect(pinProblem(pin)).not.toBeNull();
  });
});
