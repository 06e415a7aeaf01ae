// The attacker suite's three offline sign-in attacks (issue 14), on a hub on SQLite and on
// PostgreSQL (tests/host/offline-sign-in.test.ts runs them on SQLite only): "Sign in offline" while
// the hub is up; an MFA account's password alone (or a wrong code) offline; a user revoked at the
// hub while signed in offline, after the workstation reconnects. Through the window's channels of a
// workstation host enrolled at a real hub over TLS (through the ward's network link, which the test
// cuts). Each is refused and leaves nobody signed in; the refusals are in the workstation's audit
// trail, which reaches the hub, where the privacy officer finds them.
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditEvent, Bundle } from '../../shared/fhir/index.js';
import { TOTP_STEP_SECONDS } from '../../shared/auth/index.js';
import { addUser, currentTotpCode, disableUser } from '../../server/identity/index.js';
import { openWorkstationHost, silentLogger, type WorkstationHost } from '../../electron/host/index.js';
import { verifyPolicyText } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents, FakeClock } from '../../electron/session/index.js';
import { CHEAP_HASHING, TEST_WARD } from '../../electron/session/test-helpers.js';
import { keyNameFor } from '../../electron/vault/index.js';
import { appSenderCheck } from '../../electron/window/index.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { MemoryTransport } from '../support/host-harness.js';
import { startHub, type HubEngine, type TestHub } from '../support/hub-harness.js';
import { enrollTestWorkstation, FAST_POLICY, seedGeneratedWard, type TestWorkstation } from '../sync/sync-test-kit.js';

const PASSWORDS = { nina: 'nina correct horse battery', mira: 'mira correct horse battery', adam: 'adam correct horse battery' };

describe.each<HubEngine>(['sqlite', 'postgres'])('offline sign-in attacks with a hub on %s', (engine) => {
  let hub: TestHub;
  let proxy: FaultProxy;
  let station: TestWorkstation;
  let host: WorkstationHost;
  let transport: MemoryTransport;
  let clock: FakeClock;
  let miraSecret: string;

  async function call<T>(channel: string, request: unknown): Promise<T> {
    const result = await transport.send(channel, request);
    if (!result.ok) throw Object.assign(new Error(`${channel} refused: ${result.error.code}`), { code: result.error.code });
    return result.value as T;
  }

  async function refusalOf(request: Record<string, unknown>): Promise<string> {
    return call('session:sign-in', request).then(
      () => 'accepted',
      (error: unknown) => String((error as { code?: unknown }).code),
    );
  }

  const signedIn = (): unknown => host.sessions.current().active;
  const hubDown = (): void => proxy.setFaults({ drop: 1 });
  const hubUp = (): void => proxy.setFaults(null);

  beforeAll(async () => {
    hub = await startHub({ engine });
    await seedGeneratedWard(hub.db, TEST_WARD, { seed: `offline-attacks-${engine}`, patients: 2, days: 1 });
    const created = new Date(Date.now() - 86_400_000);
    await addUser(hub.db, { username: 'nina', password: PASSWORDS.nina, role: 'nurse', wards: [TEST_WARD], mfa: false }, created);
    await addUser(hub.db, { username: 'adam', password: PASSWORDS.adam, role: 'admin', wards: [TEST_WARD], mfa: false }, created);
    miraSecret = (
      await addUser(hub.db, { username: 'mira', password: PASSWORDS.mira, role: 'physician', wards: [TEST_WARD], mfa: true }, created)
    ).totpSecret!;
    proxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem });
    station = await enrollTestWorkstation(hub, TEST_WARD, { hubUrl: proxy.url, pin: proxy.pin });
    const org = testOrganisation();
    const policy = verifyPolicyText(org.sign({ ...examplePolicyDraft(), ward: TEST_WARD, hub: { url: proxy.url, pins: [proxy.pin] } }), [
      org.trusted,
    ]);
    transport = new MemoryTransport();
    clock = new FakeClock();
    host = await openWorkstationHost({
      dataDir: station.dataDir,
      policy,
      custodian: station.custodian,
      powerEvents: new ControllablePowerEvents(),
      transport,
      isTrustedSender: appSenderCheck(() => new Set([1])),
      logger: silentLogger(),
      clock,
      scheduler: clock,
      hashing: CHEAP_HASHING,
      startSync: false,
      syncPolicy: FAST_POLICY,
    });
  }, 180_000);

  afterAll(async () => {
    hubUp();
    await host?.close();
    if (station) {
      await station.custodian.destroy(keyNameFor(station.dataDir, 'audit')).catch(() => undefined);
      await station.remove();
    }
    await proxy?.stop();
    await hub?.stop();
  });

  it('refuses each attack, signs nobody in, and the refusals reach the privacy officer at the hub', { timeout: 180_000 }, async () => {
    // Offline sign-in while the hub is up.
    await call('session:sign-in', { username: 'nina', password: PASSWORDS.nina });
    await call('session:sign-out', {});
    expect(await refusalOf({ username: 'nina', password: PASSWORDS.nina, offline: true })).toBe('OFFLINE_HUB_REACHABLE');
    expect(signedIn()).toBeNull();

    // An MFA account offline with its password alone, or with a wrong code.
    await call('session:sign-in', { username: 'mira', password: PASSWORDS.mira, totp: currentTotpCode(miraSecret, new Date()) });
    await call('session:sign-out', {});
    hubDown();
    expect(await refusalOf({ username: 'mira', password: PASSWORDS.mira, offline: true })).toBe('TOTP_REQUIRED');
    const valid = [-1, 0, 1].map((d) =>
      authenticator.clone({ epoch: clock.now() + d * TOTP_STEP_SECONDS * 1000, step: TOTP_STEP_SECONDS }).generate(miraSecret),
    );
    const wrong = ['000000', '111111', '222222', '333333'].find((code) => !valid.includes(code))!;
    expect(await refusalOf({ username: 'mira', password: PASSWORDS.mira, offline: true, totp: wrong })).toBe('TOTP_INVALID');
    expect(signedIn()).toBeNull();

    // A user revoked at the hub while signed in offline: her session ends at the reconnect, and
    // she cannot sign in offline again.
    await call('session:sign-in', { username: 'nina', password: PASSWORDS.nina, offline: true });
    expect(signedIn()).toMatchObject({ username: 'nina', mode: 'offline' });
    await disableUser(hub.db, 'nina');
    hubUp();
    await call('sync:now', {}).catch(() => undefined);
    expect(signedIn()).toBeNull();
    hubDown();
    expect(await refusalOf({ username: 'nina', password: PASSWORDS.nina, offline: true })).toBe('OFFLINE_UNKNOWN_USER');
    expect(signedIn()).toBeNull();

    // The workstation's trail, with these refusals, reaches the hub.
    hubUp();
    await call('session:sign-in', { username: 'adam', password: PASSWORDS.adam });
    await vi.waitFor(
      async () => {
        await call('sync:now', {});
        expect(host.audit.queue.pendingCount()).toBe(0);
      },
      { timeout: 60_000, interval: 500 },
    );
    const officer = await (await hub.enrollDevice(TEST_WARD)).signedIn('adam', PASSWORDS.adam);
    const response = await officer.fetch('/fhir/AuditEvent?wardline-action=sign-in-failed&_count=100');
    expect(response.status).toBe(200);
    const events = ((await response.json()) as Bundle).entry!.map((entry) => JSON.stringify(entry.resource as AuditEvent));
    for (const reason of ['offline-hub-reachable', 'totp-required', 'totp-invalid', 'unknown-user']) {
      expect(
        events.some((event) => event.includes(reason)),
        reason,
      ).toBe(true);
    }
  });
});
