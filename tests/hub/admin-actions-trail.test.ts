// IT's admin commands at the hub's command line are in the hub's trail, on both storage engines:
// `token`, `user add`, `user change`, `device revoke`, `feed add` and `feed revoke` are each one
// row of audit_hub_actions (with the OS account that ran it), read where the other hub actions are
// read (`wardline-hub audit export`, and GET /fhir/AuditEvent by the privacy officer), coded from
// HUB_ACTION_CODING, and never holding a secret (the token, the password, the TOTP secret, the feed's
// secret). A command that changes nothing writes nothing. An account is given only a ward the hub
// serves, named by the one ward code rule: `user add|change --ward` of a ward not set up is refused
// naming `ward add`, as `token --ward` is, and nothing changes.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubCli } from '../support/hub-cli.js';
import { startHub, type HubEngine, type TestHub } from '../support/hub-harness.js';

const PASSWORD = 'a long enough passphrase';

interface TrailEvent {
  type: { code: string };
  action: string;
  entity?: { what?: { reference?: string }; description?: string }[];
  agent?: { name?: string }[];
}

describe.each<HubEngine>(['sqlite', 'postgres'])("IT's admin commands in the hub's trail on %s", (engine) => {
  let hub: TestHub;
  let folder: string;
  let keyFile: string;
  const secrets: string[] = [];

  async function cli(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
    const store = hub.postgresUrl ? ['--postgres', hub.postgresUrl] : ['--data', dirname(hub.sqlitePath!)];
    return hubCli([...args, ...store, '--key-file', keyFile], stdin === undefined ? {} : { stdin });
  }

  /** The hub-action rows of the CSV export: [action, query (what was acted on), OS account]. */
  async function exportedActions(): Promise<{ action: string; query: Record<string, unknown>; osUser: string }[]> {
    const csv = await cli(['audit', 'export', '--format', 'ndjson']);
    expect(csv.code, csv.err).toBe(0);
    const rows = await cli(['audit', 'export', '--format', 'csv']);
    for (const secret of secrets) {
      expect(rows.out).not.toContain(secret);
      expect(csv.out).not.toContain(secret);
    }
    return rows.out
      .split('\r\n')
      .slice(1)
      .filter((line) => line.split(',')[1] === 'hub-action')
      .map((line) => {
        // action is column 7; query (CSV-quoted JSON) column 13; detail (the OS account) column 14.
        const cells = [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((match) =>
          match[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'),
        );
        return { action: cells[6]!, query: JSON.parse(cells[12]!) as Record<string, unknown>, osUser: cells[13]! };
      });
  }

  beforeAll(async () => {
    hub = await startHub({ engine });
    folder = await mkdtemp(join(tmpdir(), 'wardline-admin-trail-'));
    keyFile = join(folder, 'hub.key');
    await writeFile(keyFile, `${hub.hubKey.toString('base64')}\n`);
    await chmod(keyFile, 0o600);
    for (const ward of ['a', 'b']) expect((await cli(['ward', 'add', ward, '--name', `Ward ${ward}`])).code).toBe(0);
  });

  afterAll(async () => {
    await hub?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('refuses an account on a ward the hub does not serve, naming ward add, and a code the ward rule refuses, changing nothing', async () => {
    const unserved = await cli(
      ['user', 'add', '--username', 'nurse.x', '--role', 'nurse', '--ward', 'a', '--ward', '7west', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(unserved.code).toBe(1);
    expect(unserved.err).toMatch(/^wardline-hub: This hub does not serve a ward "7west"; set it up first with wardline-hub ward add 7west/);
    const badCode = await cli(
      ['user', 'add', '--username', 'nurse.x', '--role', 'nurse', '--ward', 'four_north', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(badCode.code).toBe(2);
    expect(badCode.err).toMatch(/A ward code is 1–24 letters, digits, "\." or "-"/);
    // Nobody was added: changing the account finds no such user.
    expect((await cli(['user', 'change', '--username', 'nurse.x', '--role', 'clerk'])).code).toBe(1);
    expect(await exportedActions()).toEqual([
      expect.objectContaining({ action: 'ward-add' }),
      expect.objectContaining({ action: 'ward-add' }),
    ]);
  });

  it('records a token, an account added and changed, a workstation revoked and a feed added and revoked, without a secret', async () => {
    const token = await cli(['token', '--ward', 'a', '--ttl-minutes', '60']);
    expect(token.code, token.err).toBe(0);
    secrets.push(token.out.trim());
    const added = await cli(
      ['user', 'add', '--username', 'Nurse.Jones', '--role', 'nurse', '--ward', 'a', '--mfa', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(added.code, added.err).toBe(0);
    const userId = /\(id ([^,]+),/.exec(added.out)![1]!;
    secrets.push(PASSWORD, /TOTP secret .*: ([A-Z2-7]{16,})/.exec(added.out)![1]!);

    const unserved = await cli(['user', 'change', '--username', 'nurse.jones', '--ward', 'a', '--ward', '7west']);
    expect(unserved.code).toBe(1);
    expect(unserved.err).toMatch(/does not serve a ward "7west".*wardline-hub ward add 7west/);
    expect((await cli(['user', 'change', '--username', 'nurse.jones', '--role', 'clerk', '--ward', 'a', '--ward', 'b'])).code).toBe(0);
    // The same again changes nothing, and is not recorded.
    expect((await cli(['user', 'change', '--username', 'nurse.jones', '--role', 'clerk'])).out).toMatch(/nothing changed/);

    const device = await hub.enrollDevice('b');
    expect((await cli(['device', 'revoke', device.clientId])).code).toBe(0);
    expect((await cli(['device', 'revoke', device.clientId])).code).toBe(0);

    const feed = await cli(['feed', 'add', 'ehr', '--application', 'EHR', '--facility', 'GENERAL']);
    expect(feed.code, feed.err).toBe(0);
    secrets.push(/shown only now\): (\S+)$/m.exec(feed.out)![1]!);
    expect((await cli(['feed', 'revoke', 'ehr'])).code).toBe(0);

    const actions = await exportedActions();
    const osUser = userInfo().username;
    expect(actions.slice(2)).toEqual([
      { action: 'token-issue', query: { resource: 'Location/ward-a', ward: 'a', expires: expect.any(String) }, osUser },
      { action: 'user-add', query: { resource: `Practitioner/${userId}`, role: 'nurse', wards: ['a'], mfa: true }, osUser },
      {
        action: 'user-change',
        query: {
          resource: `Practitioner/${userId}`,
          changes: { role: { from: 'nurse', to: 'clerk' }, wards: { from: ['a'], to: ['a', 'b'] } },
        },
        osUser,
      },
      { action: 'device-revoke', query: { resource: `Device/${device.clientId}`, ward: 'b' }, osUser },
      { action: 'feed-add', query: { feed: 'ehr', application: 'EHR', facility: 'GENERAL' }, osUser },
      { action: 'feed-revoke', query: { feed: 'ehr' }, osUser },
    ]);
    const expires = Date.parse(actions[2]!.query.expires as string);
    expect(Math.abs(expires - (Date.now() + 60 * 60_000))).toBeLessThan(5 * 60_000);
    // The username is resolved when the trail is read, never stored.
    expect(JSON.stringify(actions)).not.toContain('nurse.jones');
  });

  it('shows them to the privacy officer as AuditEvents coded from HUB_ACTION_CODING, the account by its username', async () => {
    const added = await cli(
      ['user', 'add', '--username', 'privacy.a', '--role', 'admin', '--ward', 'a', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(added.code, added.err).toBe(0);
    const officer = await (await hub.enrollDevice('a')).signedIn('privacy.a', PASSWORD);
    const response = await officer.fetch(
      '/fhir/AuditEvent?wardline-action=token-issue,user-add,user-change,device-revoke,feed-add,feed-revoke&_count=50',
    );
    expect(response.status).toBe(200);
    const bundle = (await response.json()) as { entry?: { resource: TrailEvent }[] };
    const shown = (bundle.entry ?? []).map((entry) => entry.resource);
    const summary = shown.map((event) => [event.type.code, event.action, event.entity?.at(-1)?.description]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['110129', 'C', expect.stringMatching(/^wardline-hub token --ward a \(expires /)],
        ['110137', 'C', 'wardline-hub user add nurse.jones (role nurse, wards a, second factor)'],
        ['110136', 'U', 'wardline-hub user change nurse.jones (role nurse → clerk; wards a → a, b)'],
        ['110129', 'U', 'wardline-hub device revoke (ward b)'],
        ['110129', 'C', 'wardline-hub feed add ehr (MSH-3 EHR, MSH-4 GENERAL)'],
        ['110129', 'U', 'wardline-hub feed revoke ehr'],
        ['110137', 'C', 'wardline-hub user add privacy.a (role admin, wards a)'],
      ]),
    );
    expect(shown).toHaveLength(7);
    expect(shown.every((event) => event.agent?.[0]?.name === userInfo().username)).toBe(true);
    for (const secret of secrets) expect(JSON.stringify(bundle)).not.toContain(secret);
  });
});
