// A workstation host enrolled at a real hub (TLS, device key in the OS keystore) through the fault
// proxy, as the window reaches it: the real vault, audit trail, sessions, sync engine and IPC router
// behind the in-memory Transport. The ward's staff are accounts on that hub and sign in there; their
// documentation goes to it. Synthetic patients only.
import type { Logger } from 'pino';
import type { SyntheticWard } from '../../shared/synthetic/index.js';
import { openWorkstationHost, silentLogger, type WorkstationHost } from '../../electron/host/index.js';
import { verifyPolicyText } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents, FakeClock } from '../../electron/session/index.js';
import { addUser } from '../../server/identity/index.js';
import { CHEAP_HASHING, TEST_WARD } from '../../electron/session/test-helpers.js';
import type { SyncPolicy } from '../../electron/sync/index.js';
import { keyNameFor } from '../../electron/vault/index.js';
import { appSenderCheck } from '../../electron/window/index.js';
import { enrollTestWorkstation, FAST_POLICY, seedGeneratedWard, type TestWorkstation } from '../sync/sync-test-kit.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { MemoryTransport } from './host-harness.js';
import { startHub, type TestHub } from './hub-harness.js';

export interface EnrolledTestHost {
  readonly hub: TestHub;
  readonly proxy: FaultProxy;
  readonly ward: SyntheticWard;
  readonly station: TestWorkstation;
  readonly host: WorkstationHost;
  readonly transport: MemoryTransport;
  /** The host's clock (sessions, deadlines, an offline TOTP check). */
  readonly clock: FakeClock;
  /** The ward's staff on the hub: nina (nurse), paul (physician), carla (clerk), adam (admin). */
  readonly staff: StaffAccount[];
  /** Signs `username` in (after signing out whoever is active). */
  signIn(username: string): Promise<void>;
  /** Sends a request and returns its value, or throws with the refusal's code. */
  call<T = unknown>(channel: string, request: unknown): Promise<T>;
  /** Adds a colleague of the ward at the hub (another account of `role` on TEST_WARD), who may then sign in. */
  addStaff(username: string, role: StaffAccount['role']): Promise<StaffAccount>;
  /** The current version of a resource as the hub stores it (read in its database). */
  hubResource<T>(type: string, id: string): Promise<T>;
  close(): Promise<void>;
}

export interface StaffAccount {
  readonly userId: string;
  readonly username: string;
  readonly password: string;
  readonly role: 'nurse' | 'physician' | 'clerk' | 'admin';
}

const STAFF: ReadonlyArray<Pick<StaffAccount, 'username' | 'role'>> = [
  { username: 'nina', role: 'nurse' },
  { username: 'paul', role: 'physician' },
  { username: 'carla', role: 'clerk' },
  { username: 'adam', role: 'admin' },
];

export interface EnrolledTestHostOptions {
  readonly seed: string;
  readonly patients?: number;
  /** Start the host's sync scheduler (default false: the tests sync with sync:now). */
  readonly startSync?: boolean;
  readonly syncPolicy?: Partial<SyncPolicy>;
  /** The host's log (default: silent). */
  readonly logger?: Logger;
}

/** A hub with a generated ward (TEST_WARD), the fault proxy before it, and a host enrolled through the proxy. */
export async function startEnrolledTestHost(options: EnrolledTestHostOptions): Promise<EnrolledTestHost> {
  const hub = await startHub({ engine: 'sqlite' });
  const ward = await seedGeneratedWard(hub.db, TEST_WARD, { seed: options.seed, patients: options.patients ?? 3, days: 2 });
  const proxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem });
  const staff: StaffAccount[] = [];
  const addStaff = async (username: string, role: StaffAccount['role']): Promise<StaffAccount> => {
    const password = `${username} correct horse battery`;
    const { userId } = await addUser(hub.db, { username, password, role, wards: [TEST_WARD], mfa: false });
    const account = { userId, username, password, role };
    staff.push(account);
    return account;
  };
  for (const { username, role } of STAFF) await addStaff(username, role);
  const station = await enrollTestWorkstation(hub, TEST_WARD, { hubUrl: proxy.url, pin: proxy.pin });
  const org = testOrganisation();
  const policy = verifyPolicyText(org.sign({ ...examplePolicyDraft(), ward: TEST_WARD, hub: { url: proxy.url, pins: [proxy.pin] } }), [
    org.trusted,
  ]);
  const transport = new MemoryTransport();
  const clock = new FakeClock();
  const host = await openWorkstationHost({
    dataDir: station.dataDir,
    policy,
    custodian: station.custodian,
    powerEvents: new ControllablePowerEvents(),
    transport,
    isTrustedSender: appSenderCheck(() => new Set([1])),
    logger: options.logger ?? silentLogger(),
    clock,
    scheduler: clock,
    hashing: CHEAP_HASHING,
    startSync: options.startSync ?? false,
    syncPolicy: { ...FAST_POLICY, ...options.syncPolicy },
  });
  const call = async <T>(channel: string, request: unknown): Promise<T> => {
    const result = await transport.send(channel, request);
    if (!result.ok) throw Object.assign(new Error(`${channel} refused: ${result.error.code}`), { code: result.error.code });
    return result.value as T;
  };
  return {
    hub,
    proxy,
    ward,
    station,
    host,
    transport,
    clock,
    staff,
    async signIn(username) {
      // (Its answer is dropped as "locked while loading": the sign-out itself stops serving.)
      if (host.sessions.current().active !== null) await transport.send('session:sign-out', {});
      const account = staff.find((a) => a.username === username);
      if (!account) throw new Error(`no test account ${username}`);
      await call('session:sign-in', { username, password: account.password });
    },
    call,
    addStaff,
    async hubResource<T>(type: string, id: string): Promise<T> {
      const rows = await hub.db.query<{ content: string }>(
        'SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = $1 AND res_id = $2',
        [type, id],
      );
      return JSON.parse(rows[0]!.content) as T;
    },
    async close() {
      await host.close();
      await station.custodian.destroy(keyNameFor(station.dataDir, 'audit')).catch(() => undefined);
      await station.remove();
      await proxy.stop();
      await hub.stop();
    },
  };
}
