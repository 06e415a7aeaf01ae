// Appends audit entries to the log in <dataDir> as fast as it can until it is killed, and reports
// each entry the moment `record` (or `recordAll`) has returned: "<sequence> <hash>" on stdout,
// written synchronously. The parent kills this process with SIGKILL at a random moment.
// Usage: node --import tsx append-child.ts <dataDir> <seed>
import { writeSync } from 'node:fs';
import { openAuditLog, type NewAuditEntry } from '../../../electron/audit/index.js';
import { createKeytarCustodian } from '../../../electron/vault/index.js';

const [dataDir, seedText] = process.argv.slice(2);
let state = Number(seedText ?? '1') >>> 0 || 1;
const random = (): number => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 2 ** 32;
};

const log = await openAuditLog({ dataDir: dataDir!, custodian: createKeytarCustodian() });
writeSync(1, 'ready\n');
const read = (n: number): NewAuditEntry => ({
  action: 'chart-read',
  user: `u-${n % 7}`,
  session: 's-crash',
  patient: `p-${n % 40}`,
  resources: [`Patient/p-${n % 40}`],
  purposeOfUse: 'TREAT',
  detail: { view: 'summary' },
});
for (let n = 0; ; n += 1) {
  if (random() < 0.2) {
    const patients = 1 + Math.floor(random() * 8);
    const entries = log.recordAll(
      Array.from({ length: patients }, (_, i) => ({
        action: 'query' as const,
        user: 'u-1',
        session: 's-crash',
        patient: `p-${i}`,
        query: 'Encounter?status=in-progress',
      })),
    );
    writeSync(1, entries.map((e) => `${e.sequence} ${e.hash}\n`).join(''));
  } else {
    const entry = log.record(read(n));
    writeSync(1, `${entry.sequence} ${entry.hash}\n`);
  }
}
