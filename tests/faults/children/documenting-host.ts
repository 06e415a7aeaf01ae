// Child process of the kill -9 trials: the real workstation host (vault, audit trail, sessions,
// sync engine with its audit uploads, IPC router) on an enrolled data folder, reached as the window
// reaches it (the contract's channels over the Transport port). A nurse signs in at the hub and,
// until the process is killed, records vital signs (printing each receipt once the channel has
// answered: the documentation and its audit entry have committed), corrects a heart rate now and
// then (an update with If-Match), and asks for a sync every few rounds, so a SIGKILL lands in a
// write, a push, an audit upload or a checkpoint.
//   node --import tsx documenting-host.ts <dataDir> <hubUrl> <pin> <ward> <username> <password> <patientIds,…>
import { writeSync } from 'node:fs';
import { openWorkstationHost, silentLogger } from '../../../electron/host/index.js';
import { verifyPolicyText } from '../../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../../electron/policy/test-helpers.js';
import { ControllablePowerEvents } from '../../../electron/session/index.js';
import { CHEAP_HASHING } from '../../../electron/session/test-helpers.js';
import { createKeytarCustodian } from '../../../electron/vault/index.js';
import { appSenderCheck } from '../../../electron/window/index.js';
import { APP_SENDER, MemoryTransport } from '../../support/host-harness.js';

const [dataDir, hubUrl, pin, ward, username, password, patientList] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const patients = patientList.split(',');
const ALL_TIME = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };

interface RecordedEntry {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: string | null;
  readonly label: string;
  readonly status: string;
  readonly canCorrect: boolean;
}
const org = testOrganisation();
const policy = verifyPolicyText(org.sign({ ...examplePolicyDraft(), ward, hub: { url: hubUrl, pins: [pin] } }), [org.trusted]);
const transport = new MemoryTransport();
await openWorkstationHost({
  dataDir,
  policy,
  custodian: createKeytarCustodian(),
  powerEvents: new ControllablePowerEvents(),
  transport,
  isTrustedSender: appSenderCheck(() => new Set([APP_SENDER.contentsId])),
  logger: silentLogger(),
  hashing: CHEAP_HASHING,
  startSync: false,
  syncPolicy: { connectTimeoutMs: 2_000, idleTimeoutMs: 2_000, retries: 2, retryBaseMs: 10, retryMaxMs: 50 },
});
const call = async (channel: string, request: unknown): Promise<unknown> => {
  const result = await transport.send(channel, request);
  if (!result.ok) throw new Error(`${channel} refused: ${result.error.code}`);
  return result.value;
};
await call('session:sign-in', { username, password });
writeSync(1, 'ready\n');
for (let round = 0; ; round += 1) {
  const patientId = patients[round % patients.length]!;
  const receipt = (await call('chart:record-vitals', {
    patientId,
    vitals: { heartRate: 40 + (round % 120), temperatureCelsius: 36.6 },
  })) as { entryId: string; resourceIds: string[] };
  writeSync(1, `entry ${receipt.entryId} ${patientId} ${receipt.resourceIds.join(' ')}\n`);
  if (round % 4 === 1) {
    // A correction of a heart rate the hub holds: an update with If-Match, whose answer a kill may cut off.
    const entries = (await call('chart:recorded-entries', { patientId, ...ALL_TIME })) as RecordedEntry[];
    const target = entries.find((e) => e.label === 'Heart rate' && e.versionId !== null && e.canCorrect && e.status !== 'entered-in-error');
    if (target !== undefined) {
      const amended = await transport.send('chart:amend', {
        patientId,
        resourceType: target.resourceType,
        id: target.id,
        versionId: target.versionId,
        action: 'correct',
        reason: 'wrong-value',
        values: { value: 60 + (round % 40) },
      });
      // A correction of a record whose change still waits joins it (even when a kill cut off the answer to its
      // first upload: the hub then holds that earlier change, and the sync sends this one on top of it).
      // Refused only when a newer version came from the hub meanwhile (RECORD_CHANGED): the nurse would see that.
      writeSync(
        1,
        amended.ok
          ? `amend ${(amended.value as { entryId: string }).entryId} ${patientId} ${target.id}\n`
          : `amend-refused ${amended.error.code}\n`,
      );
    }
  }
  if (round % 3 === 2) {
    const outcome = await transport.send('sync:now', {});
    writeSync(1, outcome.ok ? 'synced\n' : `sync-failed ${outcome.error.code}\n`);
  }
}
