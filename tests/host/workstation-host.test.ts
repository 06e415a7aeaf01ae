// The running host as the Electron window reaches it, without Electron: a real vault and audit
// trail (SQLCipher, keys in the OS keystore), the real sessions, the IPC router behind the
// Transport port, the sender check of the window. The transport here stands in for ipcMain.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateWard, type SyntheticWard } from '../../shared/synthetic/index.js';
import { dataDirHolder, HOST_LOCK_FILE, openWorkstationHost, silentLogger, type WorkstationHost } from '../../electron/host/index.js';
import { APP_SENDER, MemoryTransport } from '../support/host-harness.js';
import { verifyPolicyText, type WorkstationPolicy } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { CONFIDENTIALITY_SYSTEM, ControllablePowerEvents, FakeClock } from '../../electron/session/index.js';
import { CHEAP_HASHING, ScriptedHubLogin, TEST_WARD, wardStaff } from '../../electron/session/test-helpers.js';
import { createVault, createKeytarCustodian, wipeVault, keyNameFor } from '../../electron/vault/index.js';
import { temporaryDataDir } from '../../electron/vault/test-helpers.js';
import { appSenderCheck } from '../../electron/window/index.js';

const APP = APP_SENDER;

const custodian = createKeytarCustodian();
let dataDir: { dir: string; remove: () => void };
let ward: SyntheticWard;
let policy: WorkstationPolicy;
let transport: MemoryTransport;
let power: ControllablePowerEvents;
let host: WorkstationHost | null;
let restrictedId: string;

beforeEach(async () => {
  dataDir = temporaryDataDir('host');
  ward = generateWard({ seed: 'workstation-host', patients: 3, days: 2, ward: { id: TEST_WARD, name: 'Ward 7' } });
  const restricted = ward.patients[2]!.patient;
  restrictedId = restricted.id!;
  restricted.meta = { ...restricted.meta, security: [{ system: CONFIDENTIALITY_SYSTEM, code: 'R' }] };
  const vault = await createVault({ dataDir: dataDir.dir, custodian, ward: ward.location.id! });
  vault.resources.upsertMany(ward.resources);
  vault.close();
  const org = testOrganisation();
  policy = verifyPolicyText(org.sign({ ...examplePolicyDraft(), ward: TEST_WARD }), [org.trusted]);
  transport = new MemoryTransport();
  power = new ControllablePowerEvents();
  host = null;
});

afterEach(async () => {
  await host?.close();
  await wipeVault({ dataDir: dataDir.dir, custodian });
  await custodian.destroy(keyNameFor(dataDir.dir, 'audit')).catch(() => undefined);
  dataDir.remove();
});

async function openHost(): Promise<WorkstationHost> {
  const clock = new FakeClock();
  host = await openWorkstationHost({
    dataDir: dataDir.dir,
    policy,
    custodian,
    powerEvents: power,
    transport,
    isTrustedSender: appSenderCheck(() => new Set([1])),
    logger: silentLogger(),
    clock,
    scheduler: clock,
    hubLogin: new ScriptedHubLogin(wardStaff()),
    hashing: CHEAP_HASHING,
  });
  return host;
}

const nina = wardStaff().find((a) => a.username === 'nina')!;

describe('the workstation host behind the IPC router', () => {
  it('serves the census only to a signed-in user, and audits each patient listed before answering', async () => {
    const h = await openHost();
    expect(await transport.send('chart:census', {})).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(await transport.send('session:sign-in', { username: 'nina', password: nina.password })).toMatchObject({
      ok: true,
      value: { mode: 'online', snapshot: { status: 'active' } },
    });
    const census = await transport.send('chart:census', {});
    if (!census.ok) throw new Error(census.error.code);
    const listed = (census.value as Array<{ patientId: string }>).map((e) => e.patientId).sort();
    expect(listed).toEqual(ward.patients.map((p) => p.patient.id).sort());
    const queries = h.audit.find({ user: nina.userId }).filter((e) => e.action === 'query');
    expect(queries.map((e) => e.patient).sort()).toEqual(listed);
  });

  it('opens a chart in scope, asks for break-the-glass for a restricted one, and audits the read', async () => {
    const h = await openHost();
    await transport.send('session:sign-in', { username: 'nina', password: nina.password });
    const patientId = ward.patients[0]!.patient.id!;
    const summary = await transport.send('chart:summary', { patientId });
    expect(summary).toMatchObject({ ok: true, value: { patient: { id: patientId } } });
    expect(h.audit.find({ patient: patientId }).map((e) => e.action)).toContain('chart-read');
    expect(await transport.send('chart:summary', { patientId: restrictedId })).toMatchObject({
      ok: false,
      error: { code: 'BTG_REQUIRED' },
    });
    expect(h.audit.find({ patient: restrictedId })).toEqual([]);
  });

  it('tells the window to purge and refuses charts at once when the OS locks the screen; the PIN resumes', async () => {
    await openHost();
    const signedIn = await transport.send('session:sign-in', { username: 'nina', password: nina.password });
    expect(await transport.send('session:set-pin', { pin: nina.pin })).toEqual({ ok: true, value: {} });
    power.emit('lock-screen');
    const sessionId = (signedIn as { value: { snapshot: { active: { sessionId: string } } } }).value.snapshot.active.sessionId;
    expect(transport.events).toEqual([{ event: 'session:purge', payload: { sessionId, userId: nina.userId } }]);
    expect(await transport.send('chart:census', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await transport.send('session:unlock-pin', { userId: nina.userId, pin: '0000' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PIN' },
    });
    expect(await transport.send('session:unlock-pin', { userId: nina.userId, pin: nina.pin })).toMatchObject({
      ok: true,
      value: { status: 'active' },
    });
    expect(await transport.send('chart:census', {})).toMatchObject({ ok: true });
  });

  it('refuses and audits requests from elsewhere than its window, or outside the contract, never recording what they carried', async () => {
    const h = await openHost();
    const iframe = { ...APP, isMainFrame: false };
    expect(await transport.send('session:sign-in', { username: 'nina', password: nina.password }, iframe)).toMatchObject({
      ok: false,
      error: { code: 'REJECTED' },
    });
    expect(await transport.send('session:sign-in', { username: 'nina', password: nina.password, role: 'admin' })).toMatchObject({
      ok: false,
      error: { code: 'REJECTED' },
    });
    expect(await transport.send('vault:export', {})).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    const rejected = h.audit.find({}).filter((e) => e.action === 'ipc-rejected');
    expect(rejected.map((e) => e.detail)).toEqual([
      { channel: 'session:sign-in', reason: 'untrusted-sender' },
      { channel: 'session:sign-in', reason: 'invalid-request' },
      { channel: 'vault:export', reason: 'unknown-channel' },
    ]);
    expect(JSON.stringify(h.audit.find({}))).not.toContain(nina.password);
    expect(h.sessions.current().status).toBe('signed-out');
  });

  it('stops serving and signs everyone out when it closes', async () => {
    const h = await openHost();
    await transport.send('session:sign-in', { username: 'nina', password: nina.password });
    await h.close();
    expect(transport.server).toBeNull();
    expect(power.subscriberCount()).toBe(0);
    expect(h.vault.isOpen).toBe(false);
    host = null;
  });

  it('holds its data folder while it runs: a second host there refuses, changing nothing; once closed the folder is free', async () => {
    const first = await openHost();
    expect(existsSync(join(dataDir.dir, HOST_LOCK_FILE))).toBe(true);
    expect(dataDirHolder(dataDir.dir)).toMatchObject({ pid: process.pid });
    const secondTransport = new MemoryTransport();
    await expect(
      openWorkstationHost({
        dataDir: dataDir.dir,
        policy,
        custodian,
        powerEvents: new ControllablePowerEvents(),
        transport: secondTransport,
        isTrustedSender: appSenderCheck(() => new Set([1])),
        logger: silentLogger(),
        hubLogin: new ScriptedHubLogin(wardStaff()),
        hashing: CHEAP_HASHING,
      }),
    ).rejects.toMatchObject({ code: 'DATA_DIR_IN_USE', message: expect.stringMatching(/Wardline is running on/) });
    expect(secondTransport.server).toBeNull();
    expect(first.vault.isOpen).toBe(true);
    await transport.send('session:sign-in', { username: 'nina', password: nina.password });
    expect(first.sessions.current().active).not.toBeNull();
    await first.close();
    host = null;
    expect(existsSync(join(dataDir.dir, HOST_LOCK_FILE))).toBe(false);
    expect(dataDirHolder(dataDir.dir)).toBeNull();
    await openHost();
  });

  it('refuses to start when the vault is enrolled at another hub or ward than the policy names', async () => {
    const vault = await (await import('../../electron/vault/index.js')).openVault({ dataDir: dataDir.dir, custodian });
    vault.sync.setEnrollment({
      hubUrl: 'https://other-hub.hospital.example',
      pin: policy.pins[0]!,
      clientId: 'c-1',
      ward: TEST_WARD,
      tokenUrl: 'https://other-hub.hospital.example/auth/token',
      enrolledAt: '2026-01-01T00:00:00Z',
    });
    vault.close();
    await expect(openHost()).rejects.toMatchObject({ code: 'HUB_MISMATCH' });
    expect(transport.server).toBeNull();
    expect(power.subscriberCount()).toBe(0);
  });
});
