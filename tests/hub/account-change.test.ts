// IT changes a user's role or wards with `wardline-hub user change`, over real TLS on both storage
// engines: her current tokens and refresh token stop at once, her next sign-in carries the new role
// and wards, the change is in identity_account_history (documentation she recorded before it is
// still judged by what she was then), and a change to what she already has changes nothing.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubErrorCode, USER_TOKEN_HEADER, type CredentialStampsResponse, type SessionResponse } from '../../shared/auth/index.js';
import { addUser } from '../../server/identity/index.js';
import { hubCli } from '../support/hub-cli.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, observation, outboxUpload, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';

const PASSWORD = 'correct horse battery';

describe.each<HubEngine>(['sqlite', 'postgres'])('role and ward changes over TLS on %s', (engine) => {
  let hub: TestHub;
  let deviceA: TestDevice;
  let deviceB: TestDevice;
  let onWard: AdmittedPatient;
  let folder: string;
  let keyFile: string;

  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const store = hub.postgresUrl ? ['--postgres', hub.postgresUrl] : ['--data', dirname(hub.sqlitePath!)];
    return hubCli([...args, ...store, '--key-file', keyFile]);
  }

  async function signIn(device: TestDevice, username: string): Promise<{ status: number; body: SessionResponse }> {
    const response = await device.fetch('/auth/login', {
      body: { username, password: PASSWORD },
      headers: { 'content-type': 'application/json' },
    });
    return { status: response.status, body: (await response.json()) as SessionResponse };
  }

  const vitals = (device: TestDevice, token: string) =>
    device.fetch(`/fhir/Observation?patient=${onWard.patientId}`, { headers: { [USER_TOKEN_HEADER]: token } });

  beforeAll(async () => {
    hub = await startHub({ engine });
    folder = await mkdtemp(join(tmpdir(), 'wardline-account-change-'));
    keyFile = join(folder, 'hub.key');
    await writeFile(keyFile, `${hub.hubKey.toString('base64')}\n`);
    await chmod(keyFile, 0o600);
    await seedWard(hub.db, 'a');
    await seedWard(hub.db, 'b');
    onWard = await admitPatient(hub.db, 'a', { extra: (id) => [observation(id)] });
    deviceA = await hub.enrollDevice('a');
    deviceB = await hub.enrollDevice('b');
  });

  afterAll(async () => {
    await hub?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('lowers a nurse to clerk: her tokens stop at once, her next sign-in is a clerk, and her earlier documentation still counts', async () => {
    const created = new Date(Date.now() - 86_400_000);
    const { userId } = await addUser(hub.db, { username: 'nurse.c', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false }, created);
    const session = await signIn(deviceA, 'nurse.c');
    expect(session.body.user.role).toBe('nurse');
    expect((await vitals(deviceA, session.body.accessToken)).status).toBe(200);
    const beforeChange = new Date(Date.now() - 60_000).toISOString();

    const changed = await cli(['user', 'change', '--username', 'Nurse.C', '--role', 'clerk']);
    expect(changed.code, changed.err).toBe(0);
    expect(changed.out).toContain('User nurse.c changed (role clerk, wards a)');

    const stale = await vitals(deviceA, session.body.accessToken);
    expect(stale.status).toBe(401);
    expect(hubErrorCode(await stale.json())).toBe('USER_CREDENTIALS_CHANGED');
    const refresh = await deviceA.fetch('/auth/refresh', {
      body: { refreshToken: session.body.refreshToken },
      headers: { 'content-type': 'application/json' },
    });
    expect(refresh.status).toBe(401);
    const stamps = (await (await deviceA.fetch('/auth/credential-stamps')).json()) as CredentialStampsResponse;
    expect(stamps.users.find((u) => u.userId === userId)!.credentialStamp).not.toBe(session.body.offlineVerifier.credentialStamp);

    const again = await signIn(deviceA, 'nurse.c');
    expect(again.body.user.role).toBe('clerk');
    const refused = await vitals(deviceA, again.body.accessToken);
    expect(refused.status).toBe(403);
    expect(hubErrorCode(await refused.json())).toBe('FORBIDDEN');

    const history = await hub.db.query<{ role: string }>('SELECT role FROM identity_account_history WHERE user_id = $1 ORDER BY at, seq', [
      userId,
    ]);
    expect(history.map((h) => h.role)).toEqual(['nurse', 'clerk']);
    // Vital signs she recorded as a nurse before the change, uploaded by the workstation afterwards.
    const late = await deviceA.fetch('/fhir', {
      body: outboxUpload([observation(onWard.patientId, { value: 77 })], { userId, recorded: beforeChange }),
    });
    expect(late.status, await late.clone().text()).toBe(200);
    const now = await deviceA.fetch('/fhir', {
      body: outboxUpload([observation(onWard.patientId, { value: 78 })], { userId, recorded: new Date().toISOString() }),
    });
    expect(now.status).toBe(403);
  });

  it('moves a user to another ward: she no longer signs in on the old ward, and appears in the new ward’s stamps only', async () => {
    const { userId } = await addUser(hub.db, { username: 'nurse.m', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false });
    expect((await signIn(deviceA, 'nurse.m')).status).toBe(200);
    expect((await cli(['user', 'change', '--username', 'nurse.m', '--ward', 'b'])).code).toBe(0);
    const old = await signIn(deviceA, 'nurse.m');
    expect(old.status).toBe(403);
    expect(hubErrorCode(old.body)).toBe('WARD_NOT_ASSIGNED');
    expect((await signIn(deviceB, 'nurse.m')).body.user.wards).toEqual(['b']);
    const stampsOf = async (device: TestDevice) =>
      ((await (await device.fetch('/auth/credential-stamps')).json()) as CredentialStampsResponse).users.map((u) => u.userId);
    expect(await stampsOf(deviceA)).not.toContain(userId);
    expect(await stampsOf(deviceB)).toContain(userId);
  });

  it('changes nothing when the role and wards are already those, and answers mistakes with one line', async () => {
    await addUser(hub.db, { username: 'doctor.s', password: PASSWORD, role: 'physician', wards: ['a'], mfa: false });
    const session = await signIn(deviceA, 'doctor.s');
    const same = await cli(['user', 'change', '--username', 'doctor.s', '--role', 'physician', '--ward', 'a']);
    expect(same).toMatchObject({ code: 0 });
    expect(same.out).toContain('nothing changed');
    expect((await vitals(deviceA, session.body.accessToken)).status).toBe(200);
    for (const [args, code] of [
      [['user', 'change', '--username', 'nobody.here', '--role', 'clerk'], 1],
      [['user', 'change', '--username', 'doctor.s', '--role', 'surgeon'], 2],
      [['user', 'change', '--username', 'doctor.s'], 2],
    ] as const) {
      const result = await cli([...args]);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
