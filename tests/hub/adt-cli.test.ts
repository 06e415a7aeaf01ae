// The ADT feed as IT runs it: `wardline-hub feed add` prints a secret once, `serve --mllp-port`
// listens for HL7 v2 over TLS with the hub's own certificate, a third-party client (node-hl7-client)
// admits a patient with that secret, and after `feed revoke` the same sender is refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubCli } from '../support/hub-cli.js';
import { adtMessage, openHl7Sender } from '../support/hl7-sender.js';
import { hl7Calendar } from '../support/hl7-time.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const cli = hubCli;
/** The events' times: on one day in the past, whatever today is (the hub refuses events ahead of its clock). */
const at = hl7Calendar();

describe('wardline-hub feed and serve --mllp-port', () => {
  let folder: string;
  let child: ChildProcess | undefined;
  const stdout: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wardline-adt-cli-'));
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child!.on('exit', () => resolve());
        child!.kill('SIGINT');
      });
    }
    await rm(folder, { recursive: true, force: true });
    await rm(`${join(folder, 'data')}.dev-key`, { force: true });
  });

  it('registers a feed, serves MLLP over TLS, applies its admit, and refuses it once revoked', async () => {
    const data = join(folder, 'data');
    child = spawn(
      process.execPath,
      [
        join(root, 'bin/wardline-hub.js'),
        'serve',
        '--dev-tls',
        '--demo',
        '1',
        '--port',
        '0',
        '--mllp-port',
        '0',
        '--data',
        data,
        '--log-level',
        'warn',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).on('line', (line) => {
        stdout.push(line);
        if (line.startsWith('Press Ctrl-C')) resolve();
      });
      child!.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const port = Number(/on port (\d+)$/.exec(stdout.find((line) => line.startsWith('HL7 v2 ADT feed (MLLP over TLS')) ?? '')?.[1]);
    expect(port).toBeGreaterThan(0);

    const added = await cli(['feed', 'add', 'ehr', '--application', 'EHR', '--facility', 'GENERAL', '--data', data]);
    expect(added.code).toBe(0);
    const secret = /shown only now\): (\S+)$/m.exec(added.out)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await cli(['feed', 'list', '--data', data])).out).toMatch(/^ehr {2}EHR at GENERAL .* active$/m);

    const caPem = await readFile(join(data, 'dev-tls', 'hub-cert.pem'), 'utf8');
    const sender = await openHl7Sender({ port, caPem });
    try {
      const admit = {
        secret: secret!,
        event: 'A01',
        at: at('081000'),
        mrn: 'MRN9100001',
        location: 'demo^1^2',
        visit: 'V9100001',
      } as const;
      expect(await sender.send(adtMessage({ ...admit, controlId: 'CLI-1' }))).toMatchObject({ code: 'AA', controlId: 'CLI-1' });
      expect((await cli(['feed', 'revoke', 'ehr', '--data', data])).code).toBe(0);
      const refused = await sender.send(adtMessage({ ...admit, controlId: 'CLI-2', mrn: 'MRN9100002', visit: 'V9100002' }));
      expect(refused).toMatchObject({ code: 'AR', controlId: 'CLI-2' });
    } finally {
      await sender.close();
    }
    const usage = await cli(['serve', '--dev-tls', '--mllp-plain', '--data', data]);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/go with --mllp-port/);
  }, 120_000);
});
