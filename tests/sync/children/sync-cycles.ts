// Child process of the crash trials: opens an enrolled workstation's vault and, until it is killed,
// writes documentation (printing each outbox entry once its transaction has committed) and runs
// sync cycles with small pages, so a SIGKILL lands anywhere in a cycle. It also says "mid-walk" the
// first time a committed transaction leaves a walk part-way, for the trials that kill it there.
//   node --import tsx sync-cycles.ts <dataDir> <author reference, Practitioner/{hub user id}>
import { pino } from 'pino';
import { SUPPORTED_RESOURCE_TYPES } from '../../../shared/fhir/index.js';
import { openDocumentation } from '../../../electron/documentation/index.js';
import { createSyncEngine } from '../../../electron/sync/index.js';
import { createKeytarCustodian, openVault } from '../../../electron/vault/index.js';

const dataDir = process.argv[2]!;
const author = { reference: process.argv[3]! };
const custodian = createKeytarCustodian();
const logger = pino({ level: 'silent' });
const vault = await openVault({ dataDir, custodian, logger, integrityCheck: 'background' });
const engine = createSyncEngine({
  vault,
  dataDir,
  custodian,
  logger,
  policy: {
    pageSize: 15,
    maxResourcesPerTransaction: 40,
    retries: 2,
    retryBaseMs: 5,
    retryMaxMs: 20,
    connectTimeoutMs: 2000,
    idleTimeoutMs: 2000,
    lockLeaseMs: 5000,
  },
});
const documentation = openDocumentation({ vault, sync: engine, logger });

// Says "mid-walk" once, as soon as a committed transaction leaves a load or a history walk part-way
// (its position in the vault), so the parent can kill it there on purpose rather than by luck.
const midWalk = (): boolean =>
  vault.sync.patients().some((p) => p.loadState === 'loading') || SUPPORTED_RESOURCE_TYPES.some((type) => vault.sync.walk(type) !== null);
const transaction = vault.transaction.bind(vault);
let depth = 0;
let toldMidWalk = false;
vault.transaction = <T>(fn: () => T, options?: { durable?: boolean }): T => {
  depth += 1;
  try {
    return transaction(fn, options);
  } finally {
    depth -= 1;
    if (depth === 0 && !toldMidWalk && midWalk()) {
      toldMidWalk = true;
      process.stdout.write('mid-walk\n');
    }
  }
};

process.stdout.write('ready\n');
for (let round = 0; ; round += 1) {
  const census = vault.census();
  if (census.length > 0) {
    const patientId = census[round % census.length]!.patientId;
    const receipt = documentation.recordVitalSigns(patientId, { heartRate: 50 + (round % 60), temperatureCelsius: 36.6 }, author);
    process.stdout.write(`entry ${receipt.entryId} ${receipt.resourceIds.join(' ')}\n`);
  }
  await engine.syncOnce().then(
    () => process.stdout.write('synced\n'),
    (error: unknown) => process.stdout.write(`failed ${(error as { code?: string }).code ?? 'unknown'}\n`),
  );
}
