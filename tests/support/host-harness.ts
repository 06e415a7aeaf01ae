// A running workstation host as the Electron window reaches it, without Electron: a real vault and
// audit trail (SQLCipher, keys in the OS keystore), the real sessions and the IPC router behind the
// Transport port. The transport here stands in for ipcMain.
import type { EventMessage, IpcResult } from '../../shared/contract/index.js';
import type { RequestServer, SaveFileChooser, SenderInfo, Transport } from '../../electron/host/index.js';
import { generateWard, type SyntheticWard } from '../../shared/synthetic/index.js';
import { openWorkstationHost, silentLogger, type WorkstationHost } from '../../electron/host/index.js';
import { verifyPolicyText } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { CONFIDENTIALITY_SYSTEM, ControllablePowerEvents, FakeClock } from '../../electron/session/index.js';
import { CHEAP_HASHING, ScriptedHubLogin, TEST_WARD, wardStaff, type HubAccount } from '../../electron/session/test-helpers.js';
import { createKeytarCustodian, createVault, keyNameFor, wipeVault } from '../../electron/vault/index.js';
import { temporaryDataDir } from '../../electron/vault/test-helpers.js';
import { appSenderCheck } from '../../electron/window/index.js';

export const APP_SENDER: SenderInfo = { frameUrl: 'app://wardline/index.html', isMainFrame: true, contentsId: 1 };

/** The Transport port in memory: what ipcMain would deliver, and what would reach the window. */
export class MemoryTransport implements Transport {
  server: RequestServer | null = null;
  readonly events: EventMessage[] = [];
  serve(server: RequestServer): () => void {
    this.server = server;
    return () => {
      this.server = null;
    };
  }
  emit(message: EventMessage): void {
    this.events.push(message);
  }
  send(channel: string, request: unknown, sender: SenderInfo = APP_SENDER): Promise<IpcResult<unknown>> {
    if (this.server === null) throw new Error('the host is not serving');
    return this.server({ sender, message: { channel, request } });
  }
}

export interface TestHost {
  readonly host: WorkstationHost;
  readonly transport: MemoryTransport;
  readonly power: ControllablePowerEvents;
  readonly ward: SyntheticWard;
  /** The ward's staff as the scripted hub knows them (nina: nurse, paul: physician, carla: clerk, adam: admin). */
  readonly staff: HubAccount[];
  /** A patient on the ward whose chart is marked restricted (break-the-glass needed). */
  readonly restrictedPatientId: string;
  signIn(username: string): Promise<void>;
  close(): Promise<void>;
}

export interface TestHostOptions {
  /** Fields of the machine policy over examplePolicyDraft's (e.g. printing: { allowed: false }). */
  readonly policy?: Record<string, unknown>;
  /** Patients on the ward (default 3; the third is restricted). */
  readonly patients?: number;
  /** When the generated charts end (ISO); default the generator's own. */
  readonly wardNow?: string;
  /** The save dialog of the audit view's export (none by default, as in evaluation mode). */
  readonly saveFile?: SaveFileChooser;
}

/** A host over a fresh vault holding a small synthetic ward (the third patient restricted). */
export async function startTestHost(seed: string, options: TestHostOptions = {}): Promise<TestHost> {
  const custodian = createKeytarCustodian();
  const dataDir = temporaryDataDir('host');
  const ward = generateWard({
    seed,
    patients: options.patients ?? 3,
    days: 2,
    ward: { id: TEST_WARD, name: 'Ward 7' },
    ...(options.wardNow === undefined ? {} : { now: options.wardNow }),
  });
  const restricted = ward.patients[2]!.patient;
  restricted.meta = { ...restricted.meta, security: [{ system: CONFIDENTIALITY_SYSTEM, code: 'R' }] };
  const vault = await createVault({ dataDir: dataDir.dir, custodian, ward: ward.location.id! });
  vault.resources.upsertMany(ward.resources);
  vault.close();
  const org = testOrganisation();
  const policy = verifyPolicyText(org.sign({ ...examplePolicyDraft(), ward: TEST_WARD, ...options.policy }), [org.trusted]);
  const transport = new MemoryTransport();
  const power = new ControllablePowerEvents();
  const clock = new FakeClock();
  const staff = wardStaff();
  const host = await openWorkstationHost({
    dataDir: dataDir.dir,
    policy,
    custodian,
    powerEvents: power,
    transport,
    isTrustedSender: appSenderCheck(() => new Set([1])),
    logger: silentLogger(),
    clock,
    scheduler: clock,
    hubLogin: new ScriptedHubLogin(staff),
    hashing: CHEAP_HASHING,
    ...(options.saveFile === undefined ? {} : { saveFile: options.saveFile }),
  });
  return {
    host,
    transport,
    power,
    ward,
    staff,
    restrictedPatientId: restricted.id!,
    async signIn(username) {
      const account = staff.find((a) => a.username === username);
      if (!account) throw new Error(`no test account ${username}`);
      const result = await transport.send('session:sign-in', { username, password: account.password });
      if (!result.ok) throw new Error(`sign-in of ${username} refused: ${result.error.code}`);
    },
    async close() {
      await host.close();
      await wipeVault({ dataDir: dataDir.dir, custodian });
      await custodian.destroy(keyNameFor(dataDir.dir, 'audit')).catch(() => undefined);
      dataDir.remove();
    },
  };
}
