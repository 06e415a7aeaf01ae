// The hub's data at rest, as a thief with a copy of its data folder would try it: after a real
// demo-seeded `wardline-hub serve` run, no patient name, MRN, TOTP secret or token-signing private
// key is anywhere in the folder's bytes (a plain-SQLite control with the same data shows the scan
// finds them); a copy of the database taken while the hub runs opens with no key but the hub's.
// A production serve refuses to start without a key; rotate-keys replaces the hub key and the
// signing key while tokens already issued keep working; an old unencrypted hub.sqlite is refused,
// and encrypt-database encrypts it in place; an old SQLCipher 4 hub.sqlite is re-encrypted with
// AEGIS-256 by the first command that opens it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import PlainDatabase from 'better-sqlite3';
import CipherDatabase from 'better-sqlite3-multiple-ciphers';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { MRN_SYSTEM, type Patient } from '../../shared/fhir/index.js';
import { createClientAssertion, generateDeviceKeyPair, tokenRequestBody, USER_TOKEN_HEADER } from '../../shared/auth/index.js';
import { seedDemoWard } from '../../server/demo/index.js';
import { asciiJson } from '../../server/fhir/index.js';
import { currentTotpCode } from '../../server/identity/index.js';
import { migrateHub } from '../../server/app.js';
import {
  databaseKeyOf,
  newHubKey,
  openHubDatabase,
  openSqliteDatabase,
  SecretEnvelope,
  SQLCIPHER_4,
  type SqlDatabase,
} from '../../server/storage/index.js';
import { createDevCertificate } from '../../server/tls/index.js';
import { hubCli } from '../support/hub-cli.js';
import { httpsFetchTrusting } from '../support/https-fetch.js';
import { interruptPartWay } from '../support/interrupt-part-way.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Served {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
}

function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [join(root, 'bin/wardline-hub.js'), 'serve', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line);
      if (line.startsWith('Press Ctrl-C')) resolve({ child, stdout, stderr });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr.join('')}`)));
  });
}

function interrupt(served: Served): Promise<number | null> {
  return new Promise((resolve) => {
    served.child.removeAllListeners('exit');
    served.child.on('exit', (code) => resolve(code));
    served.child.kill('SIGINT');
  });
}

const cli = hubCli;

function line(lines: string[], pattern: RegExp): RegExpExecArray {
  for (const text of lines) {
    const match = pattern.exec(text);
    if (match) return match;
  }
  throw new Error(`no line matches ${pattern}: ${lines.join('\n')}`);
}

/** Every file under `dir`, read whole. */
async function filesUnder(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push({ path, bytes: await readFile(path) });
  }
  return out;
}

type Kind = 'patient name' | 'MRN' | 'TOTP secret' | 'private key';
interface Needle {
  readonly kind: Kind;
  readonly bytes: Buffer;
}

/** The needles that must never be found in the clear: as text, and secrets also as raw bytes. */
async function needlesOf(db: SqlDatabase, secrets: { totp: string; privateJwk: { d: string } }): Promise<Needle[]> {
  const rows = await db.query<{ content: string }>(`SELECT content FROM fhir_resources WHERE res_type = 'Patient'`);
  expect(rows.length).toBeGreaterThan(0);
  const needles: Needle[] = [];
  for (const { content } of rows) {
    const patient = JSON.parse(content) as Patient;
    for (const name of patient.name ?? []) {
      for (const part of [name.family ?? '', ...(name.given ?? [])]) {
        if (part.length < 5) continue;
        needles.push({ kind: 'patient name', bytes: Buffer.from(part, 'utf8') });
        // As the store writes it inside the resource's JSON (non-ASCII letters as \u escapes).
        const stored = asciiJson(part).slice(1, -1);
        if (stored !== part) needles.push({ kind: 'patient name', bytes: Buffer.from(stored, 'utf8') });
      }
    }
    for (const identifier of patient.identifier ?? []) {
      if (identifier.system === MRN_SYSTEM && identifier.value) needles.push({ kind: 'MRN', bytes: Buffer.from(identifier.value, 'utf8') });
    }
  }
  needles.push({ kind: 'TOTP secret', bytes: Buffer.from(secrets.totp, 'utf8') });
  needles.push({ kind: 'TOTP secret', bytes: Buffer.from(authenticator.decode(secrets.totp), 'hex') });
  needles.push({ kind: 'private key', bytes: Buffer.from(secrets.privateJwk.d, 'utf8') });
  needles.push({ kind: 'private key', bytes: Buffer.from(secrets.privateJwk.d, 'base64url') });
  return needles;
}

/** Byte-by-byte scan of every file of the folder; the kinds found. */
async function scan(folder: string, needles: readonly Needle[]): Promise<Set<Kind>> {
  const found = new Set<Kind>();
  for (const file of await filesUnder(folder)) {
    for (const needle of needles) if (file.bytes.includes(needle.bytes)) found.add(needle.kind);
  }
  return found;
}

async function hubKeyFrom(file: string): Promise<Buffer> {
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
}

async function signingJwk(db: SqlDatabase): Promise<{ d: string }> {
  const [row] = await db.query<{ kid: string; private_jwk: string }>(
    `SELECT kid, private_jwk FROM identity_signing_keys WHERE private_jwk <> '' ORDER BY created_at DESC`,
  );
  return JSON.parse(db.secrets.open(row!.private_jwk, `identity_signing_keys.private_jwk:${row!.kid}`)) as { d: string };
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'wardline-at-rest-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("the hub's data folder at rest", () => {
  it('holds no patient name, MRN, TOTP secret or private key in the clear after a demo run, and a copy taken while it runs needs the key', async () => {
    const data = join(folder, 'demo');
    const served = await serve(['--dev-tls', '--demo', '4', '--port', '0', '--data', data, '--log-level', 'warn']);
    const totp = line(served.stdout, /^\s+dr\.demo\s+physician\s+password: \S+\s+TOTP secret: (\S+)/)[1]!;
    line(served.stdout, /^Hub key: key file .*\.dev-key$/);
    const hubKey = await hubKeyFrom(`${data}.dev-key`);
    expect((await stat(`${data}.dev-key`)).mode & 0o777).toBe(0o600);

    // A copy of the database taken while the hub runs.
    const copy = join(folder, 'copy');
    await mkdir(copy);
    for (const name of ['hub.sqlite', 'hub.sqlite-wal']) await copyFile(join(data, name), join(copy, name)).catch(() => undefined);
    const plain = new PlainDatabase(join(copy, 'hub.sqlite'), { readonly: true });
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    plain.close();
    await expect(openHubDatabase({ sqlitePath: join(copy, 'hub.sqlite'), hubKey: { current: newHubKey() } })).rejects.toMatchObject({
      code: 'WRONG_KEY',
    });
    // With the hub's key the same copy is a whole database (so the refusals above are the cipher's).
    const copied = await openHubDatabase({ sqlitePath: join(copy, 'hub.sqlite'), hubKey: { current: hubKey } });
    expect((await copied.query<{ n: number }>(`SELECT count(*) AS n FROM fhir_resources WHERE res_type = 'Patient'`))[0]!.n).toBe(4);
    await copied.close();

    expect(await interrupt(served)).toBe(0);
    const db = await openHubDatabase({ sqlitePath: join(data, 'hub.sqlite'), hubKey: { current: hubKey } });
    const needles = await needlesOf(db, { totp, privateJwk: await signingJwk(db) });
    await db.close();
    expect(await scan(data, needles)).toEqual(new Set());
    expect(await scan(copy, needles)).toEqual(new Set());

    // Control: the same ward in a plain SQLite file, with the secrets as an earlier version kept
    // them (in the clear): the same scan finds every kind.
    const control = join(folder, 'control');
    await mkdir(control);
    const plainDb = openSqliteDatabase(join(control, 'hub.sqlite'), { secrets: SecretEnvelope.ephemeral() });
    await migrateHub(plainDb);
    await seedDemoWard(plainDb, 4, new Date());
    const jwk = { d: Buffer.from(newHubKey()).toString('base64url') };
    await plainDb.execute(
      `INSERT INTO identity_users (user_id, username, password_hash, role, mfa_required, totp_secret, credential_stamp, created_at, updated_at)
       VALUES ('u1', 'dr.demo', 'x', 'physician', 1, $1, 's', 0, 0)`,
      [totp],
    );
    await plainDb.execute(
      `INSERT INTO identity_signing_keys (kid, alg, private_jwk, public_jwk, created_at) VALUES ('k1', 'ES256', $1, '{}', 0)`,
      [JSON.stringify(jwk)],
    );
    const controlNeedles = await needlesOf(plainDb, { totp, privateJwk: jwk });
    await plainDb.close();
    expect(await scan(control, controlNeedles)).toEqual(new Set<Kind>(['patient name', 'MRN', 'TOTP secret', 'private key']));
  }, 120_000);
});

async function certificateFiles(dir: string): Promise<{ cert: string; key: string; certPem: string }> {
  const tls = createDevCertificate();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await writeFile(cert, tls.certPem);
  await writeFile(key, tls.keyPem, { mode: 0o600 });
  return { cert, key, certPem: tls.certPem };
}

describe("the hub key's custody", () => {
  it('a production serve refuses to start without a hub key, with a key file others may read, or with one inside the data folder', async () => {
    const dir = join(folder, 'production');
    await mkdir(dir);
    const { cert, key } = await certificateFiles(dir);
    const data = join(dir, 'data');
    const base = ['serve', '--cert', cert, '--key', key, '--port', '0', '--data', data];
    const missing = await cli(base);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(
      /^wardline-hub: The hub keeps its database and secrets encrypted .* none was found in the OS keystore.*init-key/,
    );
    const keyFile = join(dir, 'hub.key');
    expect((await cli(['init-key', '--key-file', keyFile, '--data', data])).code).toBe(0);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    await chmod(keyFile, 0o644);
    const unsafe = await cli([...base, '--key-file', keyFile]);
    expect(unsafe).toMatchObject({ code: 1 });
    expect(unsafe.err).toMatch(/may be read by other accounts .*chmod 600/);
    const inside = await cli([...base, '--key-file', join(data, 'hub.key')]);
    expect(inside.err).toMatch(/must not be inside the data folder/);
    // Nothing was created with any key: no database file exists.
    await expect(stat(join(data, 'hub.sqlite'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rotate-keys replaces the hub key and the signing key; tokens issued before keep working, new ones use the new key', async () => {
    const dir = join(folder, 'rotate');
    await mkdir(dir);
    const { cert, key, certPem } = await certificateFiles(dir);
    const data = join(dir, 'data');
    const keyFile = join(dir, 'hub.key');
    const store = ['--data', data, '--key-file', keyFile];
    expect((await cli(['init-key', ...store])).code).toBe(0);
    expect((await cli(['ward', 'add', 'w1', ...store])).code).toBe(0);
    const added = await cli(
      ['user', 'add', '--username', 'dr.rotate', '--role', 'physician', '--ward', 'w1', '--mfa', '--password-stdin', ...store],
      { stdin: 'a long enough passphrase\n' },
    );
    const totp = /TOTP secret .*: ([A-Z2-7]{16,})/.exec(added.out)![1]!;
    const enrollmentToken = (await cli(['token', '--ward', 'w1', ...store])).out.trim();
    const args = ['--cert', cert, '--key', key, '--log-level', 'warn', ...store];
    const { fetch, close } = httpsFetchTrusting(certPem);
    try {
      let served = await serve([...args, '--port', '0']);
      const url = line(served.stdout, /^Wardline hub listening on (https:\/\/\S+)/)[1]!;
      const keys = await generateDeviceKeyPair();
      const enrolled = await fetch(`${url}/auth/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ enrollmentToken, publicKeyJwk: keys.publicKeyJwk }),
      });
      expect(enrolled.status).toBe(201);
      const { clientId } = (await enrolled.json()) as { clientId: string };
      const deviceToken = async (): Promise<string> => {
        const tokenUrl = `${url}/auth/token`;
        const assertion = await createClientAssertion({ privateKey: keys.privateKey, clientId, tokenUrl });
        const response = await fetch(tokenUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: tokenRequestBody(assertion),
        });
        return ((await response.json()) as { access_token: string }).access_token;
      };
      const signIn = async (device: string, code: string): Promise<string> => {
        const response = await fetch(`${url}/auth/login`, {
          method: 'POST',
          headers: { authorization: `Bearer ${device}`, 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'dr.rotate', password: 'a long enough passphrase', totp: code }),
        });
        expect(response.status).toBe(200);
        return ((await response.json()) as { accessToken: string }).accessToken;
      };
      const oldDevice = await deviceToken();
      const oldUser = await signIn(oldDevice, currentTotpCode(totp, new Date()));
      expect(await interrupt(served)).toBe(0);
      const oldHubKey = await hubKeyFrom(keyFile);

      const rotated = await cli(['rotate-keys', ...store]);
      expect(rotated.code).toBe(0);
      expect(rotated.out).toMatch(/Hub key replaced .* 2 protected secret\(s\) re-wrapped; new token-signing key/);
      // The rotation is in the hub's trail, with the OS account that ran it.
      const trail = await cli(['audit', 'export', '--format', 'csv', ...store]);
      expect(trail.out.split('\r\n').filter((row) => row.split(',')[6] === 'keys-rotate')).toHaveLength(1);
      const newHubKeyValue = await hubKeyFrom(keyFile);
      expect(newHubKeyValue.equals(oldHubKey)).toBe(false);
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      await expect(openHubDatabase({ sqlitePath: join(data, 'hub.sqlite'), hubKey: { current: oldHubKey } })).rejects.toMatchObject({
        code: 'WRONG_KEY',
      });

      // The same address again: tokens name the hub's URL as issuer and audience.
      served = await serve([...args, '--port', new URL(url).port]);
      // Tokens issued before the rotation still work (the old public key verifies them) …
      const session = await fetch(`${url}/auth/session`, {
        headers: { authorization: `Bearer ${oldDevice}`, [USER_TOKEN_HEADER]: oldUser },
      });
      expect(session.status).toBe(200);
      // … and new ones are signed with the new key; the TOTP secret re-wrapped under the new key still works.
      const newDevice = await deviceToken();
      expect(decodeProtectedHeader(newDevice).kid).not.toBe(decodeProtectedHeader(oldDevice).kid);
      const later = new Date(Date.now() + 30_000);
      const newUser = await signIn(newDevice, currentTotpCode(totp, later));
      expect(decodeProtectedHeader(newUser).kid).toBe(decodeProtectedHeader(newDevice).kid);
      expect(await interrupt(served)).toBe(0);
    } finally {
      close();
    }
  }, 120_000);

  it('after a rotate-keys killed part-way, refuses another key saying which key opens the file; with that key rotate-keys finishes, every row kept', async () => {
    const dir = join(folder, 'interrupted-rotation');
    const data = join(dir, 'data');
    await mkdir(data, { recursive: true });
    const file = join(data, 'hub.sqlite');
    const keyFile = join(dir, 'hub.key');
    const store = ['--data', data, '--key-file', keyFile];
    expect((await cli(['init-key', ...store])).code).toBe(0);
    const oldHubKey = await hubKeyFrom(keyFile);
    const db = await openHubDatabase({ sqlitePath: file, hubKey: { current: oldHubKey } });
    await migrateHub(db);
    await seedDemoWard(db, 2, new Date());
    // ~20 MB more, so the rekey lasts long enough to be stopped part-way.
    await db.execute('CREATE TABLE bulk (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    await db.execute(
      `INSERT INTO bulk (id, body) WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999) SELECT i, hex(randomblob(500)) FROM n`,
    );
    await db.close();

    // The real command, killed (as a power cut would stop it) once its journal holds pages and the file has changed.
    let before = 0;
    const interrupted = await interruptPartWay(
      file,
      () => {
        before = statSync(file).mtimeMs;
        return spawn(process.execPath, [join(root, 'bin/wardline-hub.js'), 'rotate-keys', ...store], { cwd: root, stdio: 'ignore' });
      },
      () => {
        // The journal may be gone between two looks (the child committed): no entry is not yet part-way.
        const journal = statSync(`${file}-journal`, { throwIfNoEntry: false });
        return journal !== undefined && journal.size >= 64 * 1024 && statSync(file).mtimeMs !== before;
      },
      [keyFile, `${keyFile}.next`],
    );
    expect(interrupted).toBe(true);

    // Another hub key (another key file): refused, told which key opens it, not to run encrypt-database.
    const otherKeyFile = join(dir, 'other.key');
    expect((await cli(['init-key', '--data', data, '--key-file', otherKeyFile])).code).toBe(0);
    const refused = await cli(['token', '--ward', 'demo', '--data', data, '--key-file', otherKeyFile]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/rotate-keys was interrupted .*only the hub key from before that rotation opens it/);
    expect(refused.err).not.toContain('encrypt-database');
    expect(existsSync(`${file}-journal`)).toBe(true);

    // As told: the key options rotate-keys was run with, and rotate-keys again.
    expect(await cli(['rotate-keys', ...store])).toMatchObject({ code: 0 });
    const newHubKeyValue = await hubKeyFrom(keyFile);
    expect(newHubKeyValue.equals(oldHubKey)).toBe(false);
    const rotated = await openHubDatabase({ sqlitePath: file, hubKey: { current: newHubKeyValue } });
    try {
      expect((await rotated.query<{ n: number }>(`SELECT count(*) AS n FROM fhir_resources WHERE res_type = 'Patient'`))[0]!.n).toBe(2);
      expect(await rotated.query('SELECT count(*) AS n FROM bulk')).toEqual([{ n: 20_000 }]);
    } finally {
      await rotated.close();
    }
    expect((await cli(['token', '--ward', 'demo', ...store])).code).toBe(0);
  }, 120_000);

  it('refuses an unencrypted hub database from an earlier version, and encrypt-database encrypts it in place', async () => {
    const dir = join(folder, 'legacy');
    const data = join(dir, 'data');
    await mkdir(data, { recursive: true });
    const legacy = openSqliteDatabase(join(data, 'hub.sqlite'), { secrets: SecretEnvelope.ephemeral() });
    await migrateHub(legacy);
    await seedDemoWard(legacy, 2, new Date());
    await legacy.close();
    const keyFile = join(dir, 'hub.key');
    const store = ['--data', data, '--key-file', keyFile];
    expect((await cli(['init-key', ...store])).code).toBe(0);
    const refused = await cli(['token', '--ward', 'demo', ...store]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/unencrypted file from an earlier Wardline version.*encrypt-database/);
    const encrypted = await cli(['encrypt-database', ...store]);
    expect(encrypted).toMatchObject({ code: 0 });
    const plain = new PlainDatabase(join(data, 'hub.sqlite'), { readonly: true });
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    plain.close();
    const db = await openHubDatabase({ sqlitePath: join(data, 'hub.sqlite'), hubKey: { current: await hubKeyFrom(keyFile) } });
    expect((await db.query<{ n: number }>(`SELECT count(*) AS n FROM fhir_resources WHERE res_type = 'Patient'`))[0]!.n).toBe(2);
    await db.close();
    expect((await cli(['token', '--ward', 'demo', ...store])).code).toBe(0);
  });

  it('re-encrypts a SQLCipher 4 hub database of an earlier version with AEGIS-256 at the first command, with its data', async () => {
    const dir = join(folder, 'sqlcipher4');
    const data = join(dir, 'data');
    await mkdir(data, { recursive: true });
    const file = join(data, 'hub.sqlite');
    const keyFile = join(dir, 'hub.key');
    const store = ['--data', data, '--key-file', keyFile];
    expect((await cli(['init-key', ...store])).code).toBe(0);
    const hubKey = await hubKeyFrom(keyFile);
    const earlier = openSqliteDatabase(file, { secrets: SecretEnvelope.ephemeral() });
    await migrateHub(earlier);
    await seedDemoWard(earlier, 2, new Date());
    await earlier.close();
    // Encrypted as the earlier hub did it: SQLCipher 4, the same database key.
    const sqlcipher4 = new CipherDatabase(file, { fileMustExist: true });
    sqlcipher4.pragma('journal_mode=DELETE');
    for (const pragma of SQLCIPHER_4.pragmas) sqlcipher4.pragma(pragma);
    sqlcipher4.rekey(Buffer.from(`x'${databaseKeyOf(hubKey).toString('hex')}'`, 'latin1'));
    sqlcipher4.close();

    expect(await cli(['token', '--ward', 'demo', ...store])).toMatchObject({ code: 0 });
    const underSqlcipher4 = new CipherDatabase(file, { readonly: true });
    for (const pragma of SQLCIPHER_4.pragmas) underSqlcipher4.pragma(pragma);
    underSqlcipher4.key(Buffer.from(`x'${databaseKeyOf(hubKey).toString('hex')}'`, 'latin1'));
    expect(() => underSqlcipher4.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    underSqlcipher4.close();
    const db = await openHubDatabase({ sqlitePath: file, hubKey: { current: hubKey } });
    expect((await db.query<{ n: number }>(`SELECT count(*) AS n FROM fhir_resources WHERE res_type = 'Patient'`))[0]!.n).toBe(2);
    await db.close();
    expect((await readdir(data)).filter((name) => name.includes('reencrypting'))).toEqual([]);
  });
});
