// The hub's command line as IT uses it: `serve --demo` prints the URL, the pin, demo accounts and an
// enrollment token that all work; a second start does not duplicate the ward; Ctrl-C stops it
// cleanly; its logs hold no patient names. Admin commands read passwords from stdin only, and every
// error is one line with a non-zero exit code.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Patient } from '../../shared/fhir/index.js';
import { createClientAssertion, generateDeviceKeyPair, tokenRequestBody, USER_TOKEN_HEADER } from '../../shared/auth/index.js';
import { currentTotpCode } from '../../server/identity/index.js';
import { spkiPin } from '../../server/tls/index.js';
import { hubCli } from '../support/hub-cli.js';
import { httpsFetchTrusting } from '../support/https-fetch.js';

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

describe('wardline-hub command line', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wardline-hub-cli-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('serves a demo ward whose printed pin, accounts and enrollment token work, and stops cleanly on Ctrl-C', async () => {
    const data = join(folder, 'demo');
    const served = await serve(['--dev-tls', '--demo', '3', '--port', '0', '--data', data, '--log-level', 'debug']);
    const url = line(served.stdout, /^Wardline hub listening on (https:\/\/\S+)/)[1]!;
    const pin = line(served.stdout, /SPKI pin \(sha256, base64\): (\S+)/)[1]!;
    const certPem = await readFile(join(data, 'dev-tls/hub-cert.pem'), 'utf8');
    expect(pin).toBe(spkiPin(certPem));
    const nursePassword = line(served.stdout, /^\s+nurse\.demo\s+nurse\s+password: (\S+)/)[1]!;
    const [, doctorPassword, totpSecret] = line(served.stdout, /^\s+dr\.demo\s+physician\s+password: (\S+)\s+TOTP secret: (\S+)/);
    line(served.stdout, /^\s+admin\.demo\s+admin\s+password: \S+/);
    const enrollmentToken = line(served.stdout, /^Enrollment token for ward "demo".*: (\S+)$/)[1]!;

    const { fetch, close } = httpsFetchTrusting(certPem);
    try {
      const keys = await generateDeviceKeyPair();
      const enrolled = await fetch(`${url}/auth/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ enrollmentToken, publicKeyJwk: keys.publicKeyJwk }),
      });
      expect(enrolled.status).toBe(201);
      const { clientId, tokenUrl } = (await enrolled.json()) as { clientId: string; tokenUrl: string };
      const assertion = await createClientAssertion({ privateKey: keys.privateKey, clientId, tokenUrl });
      const tokenResponse = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenRequestBody(assertion),
      });
      const bearer = { authorization: `Bearer ${((await tokenResponse.json()) as { access_token: string }).access_token}` };
      const login = (username: string, password: string, totp?: string) =>
        fetch(`${url}/auth/login`, {
          method: 'POST',
          headers: { ...bearer, 'content-type': 'application/json' },
          body: JSON.stringify({ username, password, ...(totp ? { totp } : {}) }),
        });
      expect((await login('nurse.demo', nursePassword)).status).toBe(200);
      const doctor = await login('dr.demo', doctorPassword!, currentTotpCode(totpSecret!, new Date()));
      expect(doctor.status).toBe(200);
      const userToken = ((await doctor.json()) as { accessToken: string }).accessToken;

      const census = (await (
        await fetch(`${url}/fhir/Encounter?location=Location/ward-demo&status=in-progress&_include=Encounter:patient`, {
          headers: { ...bearer, [USER_TOKEN_HEADER]: userToken },
        })
      ).json()) as Bundle;
      const patients = census.entry!.filter((e) => e.resource?.resourceType === 'Patient').map((e) => e.resource as Patient);
      expect(patients).toHaveLength(3);
      for (const patient of patients) {
        const everything = await fetch(`${url}/fhir/Patient/${patient.id}/$everything`, { headers: bearer });
        expect(everything.status).toBe(200);
      }

      expect(await interrupt(served)).toBe(0);
      expect(served.stdout.at(-1)).toBe('Wardline hub stopped.');
      // No patient names, MRNs or birth dates in anything the hub printed or logged.
      const printed = [...served.stdout, ...served.stderr].join('\n');
      expect(served.stderr.join('')).toContain('"event":"request"');
      for (const patient of patients) {
        const sensitive = [
          ...(patient.name ?? []).flatMap((n) => [n.family ?? '', ...(n.given ?? [])]),
          patient.birthDate ?? '',
          ...(patient.identifier ?? []).map((i) => i.value ?? ''),
        ];
        for (const value of sensitive.filter((v) => v.length >= 3)) expect(printed).not.toContain(value);
      }
      expect(printed).not.toContain('_since=');
    } finally {
      close();
    }

    // A second start finds the ward there and adds nothing.
    const again = await serve(['--dev-tls', '--demo', '3', '--port', '0', '--data', data, '--log-level', 'warn']);
    line(again.stdout, /^Demo ward "demo" already loaded \(3 in-patients\); nothing added\.$/);
    expect(line(again.stdout, /SPKI pin \(sha256, base64\): (\S+)/)[1]).toBe(pin);
    expect(await interrupt(again)).toBe(0);
  });

  it('adds a user with the password from stdin, prints enrollment tokens, lists and revokes devices', async () => {
    const data = join(folder, 'admin');
    // A production store: its hub key in the OS keystore, made once by IT.
    expect((await cli(['init-key', '--data', data])).code).toBe(0);
    expect((await cli(['ward', 'add', 'a', '--name', 'Ward A', '--data', data])).code).toBe(0);
    expect((await cli(['ward', 'add', 'b', '--name', 'Ward B', '--data', data])).code).toBe(0);
    const token = await cli(['token', '--ward', 'a', '--data', data]);
    expect(token.code).toBe(0);
    expect(token.out.trim()).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const added = await cli(
      [
        'user',
        'add',
        '--username',
        'Nurse.Jones',
        '--role',
        'nurse',
        '--ward',
        'a',
        '--ward',
        'b',
        '--mfa',
        '--password-stdin',
        '--data',
        data,
      ],
      { stdin: 'a long enough passphrase\n' },
    );
    expect(added.code).toBe(0);
    expect(added.out).toContain('User nurse.jones added');
    expect(added.out).toMatch(/TOTP secret .*: [A-Z2-7]{16,}/);
    expect(added.out).not.toContain('a long enough passphrase');
    const listed = await cli(['device', 'list', '--data', data]);
    expect(listed).toMatchObject({ code: 0, out: 'No workstations are enrolled.\n' });
  });

  it('answers mistakes with one line on stderr and a non-zero exit code', async () => {
    const data = join(folder, 'errors');
    expect((await cli(['init-key', '--data', data])).code).toBe(0);
    expect((await cli(['ward', 'add', 'a', '--data', data])).code).toBe(0);
    const cases: [string[], number, RegExp][] = [
      [
        ['user', 'add', '--username', 'x', '--role', 'nurse', '--ward', 'a', '--password', 'secret', '--data', data],
        2,
        /never taken on the command line/,
      ],
      [
        ['user', 'add', '--username', 'x', '--role', 'surgeon', '--ward', 'a', '--password-stdin', '--data', data],
        2,
        /--role must be one of/,
      ],
      [['user', 'add', '--username', 'x', '--role', 'nurse', '--ward', 'a', '--data', data], 1, /--password-stdin/],
      [['device', 'revoke', 'no-such-device', '--data', data], 1, /No workstation is enrolled/],
      [['init-key', '--data', data], 1, /already .*left untouched/],
      [['token', '--ward', 'a', '--data', join(folder, 'no-key')], 1, /none was found in the OS keystore.*init-key/],
      [['token', '--data', data], 2, /needs --ward/],
      [['serve', '--data', data, '--port', '0'], 2, /HTTPS only/],
      [['serve', '--bogus'], 2, /Unknown option/],
      [['launch'], 2, /Unknown command/],
    ];
    for (const [args, code, message] of cases) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.err, args.join(' ')).toMatch(message);
      expect(result.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.err).toMatch(/^wardline-hub: /);
    }
  });
});
