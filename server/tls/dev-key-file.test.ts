// The --dev-tls private key at rest, as a thief with a copy of the hub's data folder would look for
// it: not in any file's bytes (PEM, DER or its private scalar), only sealed with the hub key's KEK
// in an owner-only file; the same certificate and pin after a restart; another hub's key cannot
// open it (and nothing is replaced); a key left in the clear by an earlier version is sealed and
// its file removed with the pin kept; a hub key rotation re-wraps it.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kekOf, newHubKey, SecretEnvelope } from '../storage/index.js';
import { createDevCertificate } from './dev-certificate.js';
import { rewrapDevKey } from './dev-key-file.js';
import { loadTls } from './load-tls.js';
import { spkiPin } from './spki-pin.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wardline-dev-tls-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const envelopeOf = (hubKey: Buffer, older: Buffer[] = []): SecretEnvelope => SecretEnvelope.withKeys(kekOf(hubKey), older.map(kekOf));

/** Every file's bytes under `dir`. */
async function folderBytes(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await folderBytes(path)));
    else out.push(await readFile(path));
  }
  return out;
}

/** The private key as a thief would search for it: PEM text, DER bytes, the raw scalar (JWK d). */
function keyNeedles(keyPem: string): Buffer[] {
  const key = createPrivateKey(keyPem);
  const body = keyPem.split('\n').find((l) => l.length >= 40 && !l.startsWith('-----'))!;
  return [
    Buffer.from(body, 'utf8'),
    key.export({ type: 'pkcs8', format: 'der' }),
    Buffer.from(key.export({ format: 'jwk' }).d!, 'base64url'),
  ];
}

async function holdsInClear(dir: string, keyPem: string): Promise<boolean> {
  const files = await folderBytes(dir);
  return keyNeedles(keyPem).some((needle) => files.some((bytes) => bytes.includes(needle)));
}

describe('the --dev-tls private key at rest', () => {
  it('is nowhere in the data folder in the clear, only sealed in an owner-only file, and the pin survives a restart', async () => {
    const hubKey = newHubKey();
    const tls = await loadTls({ kind: 'dev', dataDir, sealer: envelopeOf(hubKey) });
    expect(tls.pin).toBe(spkiPin(tls.certPem));
    expect(new X509Certificate(tls.certPem).checkPrivateKey(createPrivateKey(tls.keyPem))).toBe(true);
    expect(await readdir(join(dataDir, 'dev-tls'))).toEqual(['hub-cert.pem', 'hub-key.sealed']);
    expect((await stat(join(dataDir, 'dev-tls', 'hub-key.sealed'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'dev-tls'))).mode & 0o077).toBe(0);
    expect(await holdsInClear(dataDir, tls.keyPem)).toBe(false);

    const again = await loadTls({ kind: 'dev', dataDir, sealer: envelopeOf(hubKey) });
    expect(again.pin).toBe(tls.pin);
    expect(again.keyPem).toBe(tls.keyPem);
  });

  it("refuses to open with another hub's key, and replaces nothing", async () => {
    const tls = await loadTls({ kind: 'dev', dataDir, sealer: envelopeOf(newHubKey()) });
    const before = await folderBytes(dataDir);
    await expect(loadTls({ kind: 'dev', dataDir, sealer: envelopeOf(newHubKey()) })).rejects.toMatchObject({
      code: 'TLS_DEV_KEY_UNREADABLE',
    });
    expect(await folderBytes(dataDir)).toEqual(before);
    expect(spkiPin(await readFile(join(dataDir, 'dev-tls', 'hub-cert.pem'), 'utf8'))).toBe(tls.pin);
  });

  it('seals a key an earlier version left in the clear, removes that file, and keeps the certificate and pin', async () => {
    const old = createDevCertificate();
    await mkdir(join(dataDir, 'dev-tls'), { recursive: true });
    await writeFile(join(dataDir, 'dev-tls', 'hub-cert.pem'), old.certPem);
    await writeFile(join(dataDir, 'dev-tls', 'hub-key.pem'), old.keyPem, { mode: 0o600 });
    expect(await holdsInClear(dataDir, old.keyPem)).toBe(true);

    const hubKey = newHubKey();
    const tls = await loadTls({ kind: 'dev', dataDir, sealer: envelopeOf(hubKey) });
    expect(tls.pin).toBe(spkiPin(old.certPem));
    expect(await readdir(join(dataDir, 'dev-tls'))).toEqual(['hub-cert.pem', 'hub-key.sealed']);
    expect(await holdsInClear(dataDir, old.keyPem)).toBe(false);
    expect((await loadTls({ kind: 'dev', dataDir, sealer: envelopeOf(hubKey) })).pin).toBe(tls.pin);
  });

  it('is re-wrapped by a hub key rotation: the new key alone opens it, with the same pin', async () => {
    const oldKey = newHubKey();
    const newKey = newHubKey();
    const tls = await loadTls({ kind: 'dev', dataDir, sealer: envelopeOf(oldKey) });
    expect(await rewrapDevKey(dataDir, envelopeOf(newKey, [oldKey]))).toBe(true);
    expect(await rewrapDevKey(dataDir, envelopeOf(newKey, [oldKey]))).toBe(false);
    expect((await loadTls({ kind: 'dev', dataDir, sealer: envelopeOf(newKey) })).pin).toBe(tls.pin);
    await expect(loadTls({ kind: 'dev', dataDir, sealer: envelopeOf(oldKey) })).rejects.toMatchObject({ code: 'TLS_DEV_KEY_UNREADABLE' });
    expect(await holdsInClear(dataDir, tls.keyPem)).toBe(false);
  });
});
