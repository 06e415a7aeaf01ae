import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { keyNameFor } from './key-name.js';
import { KeytarCustodian } from './keytar-custodian.js';

const custodian = new KeytarCustodian();
const names: string[] = [];

function freshName(): string {
  const name = keyNameFor(`/tmp/wardline-keytar-test-${randomBytes(8).toString('hex')}`, 'vault');
  names.push(name);
  return name;
}

afterEach(async () => {
  for (const name of names.splice(0)) await custodian.destroy(name);
});

describe('KeytarCustodian against the real Secret Service', () => {
  it('gives back exactly the key it was given, and nothing once it is destroyed', async () => {
    const name = freshName();
    const key = randomBytes(32);
    await custodian.store(name, key);
    const loaded = await custodian.load(name);
    expect(loaded).not.toBeNull();
    expect(loaded!.equals(key)).toBe(true);
    await custodian.destroy(name);
    expect(await custodian.load(name)).toBeNull();
  });

  it('keeps the keys of two data directories apart', async () => {
    const first = freshName();
    const second = freshName();
    expect(first).not.toBe(second);
    const firstKey = randomBytes(32);
    const secondKey = randomBytes(32);
    await custodian.store(first, firstKey);
    await custodian.store(second, secondKey);
    expect((await custodian.load(first))!.equals(firstKey)).toBe(true);
    expect((await custodian.load(second))!.equals(secondKey)).toBe(true);
  });

  it('replaces a stored key when a new one is stored under the same name', async () => {
    const name = freshName();
    await custodian.store(name, randomBytes(32));
    const replacement = randomBytes(32);
    await custodian.store(name, replacement);
    expect((await custodian.load(name))!.equals(replacement)).toBe(true);
  });

  it('reports no key, rather than failing, for a name never stored', async () => {
    expect(await custodian.load(freshName())).toBeNull();
    await expect(custodian.destroy(freshName())).resolves.toBeUndefined();
  });
});
