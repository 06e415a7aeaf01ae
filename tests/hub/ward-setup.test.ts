// Finding 3 of review 10: IT sets a ward up through the hub's command line, on a real hospital's hub
// (no --demo). A `wardline-hub serve --mllp-port` process starts empty: the ADT feed's admit to a
// ward it does not serve gets AE 103 and `token --ward` is refused, naming `ward add`. After
// `wardline-hub ward add` (run while the hub serves) the same admit is acknowledged (AA), the
// patient is on the ward's census at the FHIR API (an enrolled workstation's device over HTTPS),
// and a transfer (A02) to a second ward added the same way moves them there. `serve` refuses an
// --upstream-ward that is not set up. Each ward set up is in the hub's trail (`audit export`).
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MRN_SYSTEM, type Bundle, type Encounter, type Patient } from '../../shared/fhir/index.js';
import { createClientAssertion, generateDeviceKeyPair, tokenRequestBody } from '../../shared/auth/index.js';
import { hubCli as cli } from '../support/hub-cli.js';
import { adtMessage, openHl7Sender, type Hl7Sender } from '../support/hl7-sender.js';
import { httpsFetchTrusting } from '../support/https-fetch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** YYYYMMDDHHMMSS (HL7 v2 TS, UTC), `minutesAgo` before now. */
function hl7Time(minutesAgo: number): string {
  return new Date(Date.now() - minutesAgo * 60_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

let folder: string;
let data: string;
let child: ChildProcess | undefined;
let url: string;
let mllpPort: number;
let caPem: string;

async function serve(): Promise<void> {
  child = spawn(
    process.execPath,
    [join(root, 'bin/wardline-hub.js'), 'serve', '--dev-tls', '--port', '0', '--mllp-port', '0', '--data', data, '--log-level', 'warn'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child!.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('Press Ctrl-C')) resolve();
    });
    child!.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${lines.join('\n')}`)));
  });
  url = /listening on (https:\/\/\S+)/.exec(lines.find((line) => line.includes('listening on https://')) ?? '')![1]!;
  mllpPort = Number(/on port (\d+)$/.exec(lines.find((line) => line.startsWith('HL7 v2 ADT feed (MLLP over TLS')) ?? '')?.[1]);
  caPem = await readFile(join(data, 'dev-tls', 'hub-cert.pem'), 'utf8');
}

/** Enrolls a workstation on `ward` with `wardline-hub token` and returns its census reader. */
async function enrolledOn(ward: string): Promise<{ census(): Promise<Map<string, string>>; close(): void }> {
  const token = await cli(['token', '--ward', ward, '--data', data]);
  expect(token.code, token.err).toBe(0);
  const { fetch, close } = httpsFetchTrusting(caPem);
  const keys = await generateDeviceKeyPair();
  const enrolled = await fetch(`${url}/auth/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentToken: token.out.trim(), publicKeyJwk: keys.publicKeyJwk }),
  });
  expect(enrolled.status).toBe(201);
  const { clientId, tokenUrl } = (await enrolled.json()) as { clientId: string; tokenUrl: string };
  return {
    close,
    /** The in-patients at the ward: MRN → the Encounter's bed Location. */
    async census() {
      const assertion = await createClientAssertion({ privateKey: keys.privateKey, clientId, tokenUrl, now: new Date() });
      const issued = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenRequestBody(assertion),
      });
      expect(issued.status).toBe(200);
      const { access_token } = (await issued.json()) as { access_token: string };
      const page = await fetch(
        `${url}/fhir/Encounter?location=Location/ward-${ward}&status=in-progress&_include=Encounter:patient&_count=100`,
        { headers: { authorization: `Bearer ${access_token}`, accept: 'application/fhir+json' } },
      );
      expect(page.status).toBe(200);
      const bundle = (await page.json()) as Bundle;
      const resources = (bundle.entry ?? []).map((entry) => entry.resource!);
      const mrnOf = new Map(
        resources
          .filter((r): r is Patient => r.resourceType === 'Patient')
          .map((p) => [`Patient/${p.id}`, p.identifier?.find((i) => i.system === MRN_SYSTEM)?.value]),
      );
      const census = new Map<string, string>();
      for (const encounter of resources.filter((r): r is Encounter => r.resourceType === 'Encounter')) {
        const mrn = mrnOf.get(encounter.subject?.reference ?? '');
        const bed = encounter.location?.find((l) => l.status === 'active' && l.location.reference !== `Location/ward-${ward}`);
        if (mrn) census.set(mrn, bed?.location.reference ?? '');
      }
      return census;
    },
  };
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'wardline-wards-'));
  data = join(folder, 'data');
  await serve();
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      child!.once('exit', () => resolve());
      child!.kill('SIGINT');
    });
  }
  await rm(folder, { recursive: true, force: true });
  await rm(`${data}.dev-key`, { force: true });
});

describe('IT sets up wards on a hub without --demo', () => {
  let sender: Hl7Sender;
  let secret: string;

  beforeAll(async () => {
    const added = await cli(['feed', 'add', 'ehr', '--application', 'EHR', '--facility', 'GENERAL', '--data', data]);
    expect(added.code, added.err).toBe(0);
    secret = /shown only now\): (\S+)$/m.exec(added.out)![1]!;
    sender = await openHl7Sender({ port: mllpPort, caPem });
  });

  afterAll(async () => {
    await sender.close();
  });

  it('starts with no ward: the admit gets AE 103 and no enrollment token is issued, each naming what to do', async () => {
    expect((await cli(['ward', 'list', '--data', data])).out).toMatch(/^No wards are set up; add one with wardline-hub ward add/);
    const admit = adtMessage({
      secret,
      controlId: 'WARD-0',
      event: 'A01',
      at: hl7Time(60),
      mrn: 'MRNW000001',
      location: '4north^12^A',
      visit: 'VW000001',
    });
    const refused = await sender.send(admit);
    expect(refused).toMatchObject({ code: 'AE', controlId: 'WARD-0', condition: '103' });
    const token = await cli(['token', '--ward', '4north', '--data', data]);
    expect(token.code).toBe(1);
    expect(token.out).toBe('');
    expect(token.err).toMatch(/^wardline-hub: This hub does not serve a ward "4north"; set it up first with wardline-hub ward add 4north/);
  });

  it('after `ward add` (while serving), an admit to the ward is acknowledged and on its census at the FHIR API', async () => {
    const added = await cli(['ward', 'add', '4north', '--name', '4 North', '--data', data]);
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/^Ward "4north" set up \(Location\/ward-4north\)\./);
    const again = await cli(['ward', 'add', '4north', '--name', '4 North', '--data', data]);
    expect(again.out).toMatch(/already set up .* nothing changed/);

    const admit = { secret, event: 'A01', at: hl7Time(50), mrn: 'MRNW000001', location: '4north^12^A', visit: 'VW000001' } as const;
    expect(await sender.send(adtMessage({ ...admit, controlId: 'WARD-1' }))).toMatchObject({ code: 'AA', controlId: 'WARD-1' });

    const workstation = await enrolledOn('4north');
    try {
      expect(await workstation.census()).toEqual(new Map([['MRNW000001', 'Location/ward-4north-room-12-bed-A']]));
    } finally {
      workstation.close();
    }
    expect((await cli(['ward', 'list', '--data', data])).out).toMatch(
      /^4north {2}4 North {2}1 patient\(s\) in progress {2}1 workstation\(s\) enrolled$/m,
    );
  });

  it('transfers (A02) the patient to a second ward added by the CLI, end to end', async () => {
    const transfer = { secret, event: 'A02', at: hl7Time(40), mrn: 'MRNW000001', location: '5south^3^B', visit: 'VW000001' } as const;
    const early = await sender.send(adtMessage({ ...transfer, controlId: 'WARD-2' }));
    expect(early).toMatchObject({ code: 'AE', controlId: 'WARD-2', condition: '103' });

    expect((await cli(['ward', 'add', '5south', '--name', '5 South', '--data', data])).code).toBe(0);
    expect(await sender.send(adtMessage({ ...transfer, controlId: 'WARD-3' }))).toMatchObject({ code: 'AA', controlId: 'WARD-3' });

    const north = await enrolledOn('4north');
    const south = await enrolledOn('5south');
    try {
      expect(await south.census()).toEqual(new Map([['MRNW000001', 'Location/ward-5south-room-3-bed-B']]));
      expect((await north.census()).has('MRNW000001')).toBe(false);
    } finally {
      north.close();
      south.close();
    }
    const list = (await cli(['ward', 'list', '--data', data])).out;
    expect(list).toMatch(/^4north {2}4 North {2}0 patient\(s\) in progress/m);
    expect(list).toMatch(/^5south {2}5 South {2}1 patient\(s\) in progress/m);
  });

  it('refuses a ward code the ADT feed could not send, and a code taken by a bed, changing nothing', async () => {
    for (const code of ['4/north', 'ward one', 'x'.repeat(25), '']) {
      const refused = await cli(['ward', 'add', code, '--data', data]);
      expect(refused.code, code).toBe(2);
    }
    const bed = await cli(['ward', 'add', '4north-room-12-bed-A', '--data', data]);
    expect(bed.code).toBe(1);
    expect(bed.err).toMatch(/is a room or bed of another ward/);
    expect((await cli(['ward', 'list', '--data', data])).out.trim().split('\n')).toHaveLength(2);
  });
});

describe('the hub trail', () => {
  it('records each ward set up or renamed at the command line, with the OS account that ran it; a repeat that changes nothing is not recorded', async () => {
    expect((await cli(['ward', 'add', '5south', '--name', '5 South (cardiology)', '--data', data])).out).toMatch(/renamed/);
    const csv = await cli(['audit', 'export', '--format', 'csv', '--data', data]);
    expect(csv.code, csv.err).toBe(0);
    // IT's actions at the command line are one source of the trail (hub-action), with no patient;
    // the query cell is what was acted on (JSON, CSV-quoted). (The feed added and the tokens issued
    // in this file are hub actions too: tests/hub/admin-actions-trail.test.ts.)
    const admin = csv.out.split('\r\n').filter((line) => line.split(',')[1] === 'hub-action' && line.split(',')[6]!.startsWith('ward-'));
    const osUser = userInfo().username;
    const location = (id: string): string => `"{""resource"":""Location/${id}""}"`;
    expect(admin.map((line) => line.split(',').slice(6, 14))).toEqual([
      ['ward-add', 'success', '', '', '', '', location('ward-4north'), osUser],
      ['ward-add', 'success', '', '', '', '', location('ward-5south'), osUser],
      ['ward-rename', 'success', '', '', '', '', location('ward-5south'), osUser],
    ]);
    const ndjson = await cli(['audit', 'export', '--format', 'ndjson', '--data', data]);
    const events = ndjson.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: { code: string }; action: string; entity?: { what?: { reference?: string } }[] });
    expect(
      events.filter((event) => event.type.code === '110131').map((event) => [event.action, event.entity?.[0]?.what?.reference]),
    ).toEqual([
      ['U', 'Location/ward-4north'],
      ['U', 'Location/ward-5south'],
      ['U', 'Location/ward-5south'],
    ]);
  });
});

describe('serve --upstream-ward', () => {
  it('refuses a ward the hub does not serve, naming ward add, before listening', async () => {
    const key = join(folder, 'upstream-key.pem');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(key, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const other = join(folder, 'other');
    const refused = await cli([
      'serve',
      '--dev-tls',
      '--port',
      '0',
      '--data',
      other,
      '--log-level',
      'silent',
      '--upstream',
      'https://127.0.0.1:9/fhir',
      '--upstream-client-id',
      'wardline-hub',
      '--upstream-key',
      key,
      '--upstream-ward',
      '7west=Location/abc',
    ]);
    await rm(`${other}.dev-key`, { force: true });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /^wardline-hub: --upstream-ward 7west: This hub does not serve a ward "7west"; set it up first with wardline-hub ward add 7west/,
    );
    expect(refused.out).not.toMatch(/listening/);
  });
});
