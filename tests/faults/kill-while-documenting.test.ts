// Power cuts while a nurse documents (issue 15): the real workstation host runs in a child process
// that records vital signs through the contract's channels and syncs every few rounds (pushing the
// outbox, uploading the audit trail, posting the signed checkpoint) and corrects a heart rate now and
// then (an update with If-Match); it is killed with SIGKILL at seeded random points, several per run. After every kill: each receipt the nurse saw is in the
// outbox or at the hub (once), every outbox entry has its audit entry, and the audit chain holds.
// At the end `wardline sync` delivers the rest: the hub holds every documented resource exactly once
// and every audit entry exactly once, its chain without gaps or flags, and no correction met itself
// as a conflict.
// (tests/sync/sync-crash.test.ts kills the sync engine alone; this one kills the whole host, with
// documentation and its audit entry written together as the product writes them.)
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../electron/audit/index.js';
import { CLIENT_ID_SYSTEM } from '../../electron/sync/index.js';
import { keyNameFor } from '../../electron/vault/index.js';
import { addUser } from '../../server/identity/index.js';
import { auditHeldByHub, workstationAuditHead } from '../support/audit-at-hub.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { wardline } from '../support/wardline-cli.js';
import { enrollTestWorkstation, hubCopiesOf, seedGeneratedWard, type TestWorkstation } from '../sync/sync-test-kit.js';

const CHILD = join(import.meta.dirname, 'children', 'documenting-host.ts');
const WARD = 'faults-ward';
const KILLS = 6;
const PASSWORD = 'correct horse battery';

let hub: TestHub;
let station: TestWorkstation;
let patients: string[];
/** Heart rates the nurse corrected (an update with If-Match each time). */
const amended = new Set<string>();

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', rateLimit: { sustainedPerSecond: 5000, burst: 10000 } });
  const ward = await seedGeneratedWard(hub.db, WARD, { seed: 'kill-while-documenting', patients: 3, days: 1 });
  patients = ward.patients.filter((p) => !(p.patient.meta?.security ?? []).some((l) => l.code === 'R')).map((p) => p.patient.id!);
  await addUser(
    hub.db,
    { username: 'nina', password: PASSWORD, role: 'nurse', wards: [WARD], mfa: false },
    new Date(Date.now() - 86_400_000),
  );
  station = await enrollTestWorkstation(hub, WARD);
  // The first sync loads the ward, so the nurse has charts to document on.
  const vault = await station.openVault();
  try {
    const engine = station.engine(vault);
    await engine.syncOnce();
    await engine.close();
  } finally {
    vault.close();
  }
});

afterAll(async () => {
  await station?.custodian.destroy(keyNameFor(station.dataDir, 'audit')).catch(() => undefined);
  await station?.remove();
  await hub?.stop();
});

interface Receipt {
  readonly entryId: string;
  readonly resourceIds: readonly string[];
}

/** Runs the host until it has printed `receiptsBeforeKill` more receipts (and `extraMs` beyond), then SIGKILL. */
function documentAndKill(receiptsBeforeKill: number, extraMs: number): Promise<Receipt[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, station.dataDir, hub.url, hub.pin, WARD, 'nina', PASSWORD, patients.join(',')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const receipts: Receipt[] = [];
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind, entryId, , ...resourceIds] = line.split(' ');
      if (kind === 'entry') receipts.push({ entryId: entryId!, resourceIds });
      if (kind === 'amend') amended.add(resourceIds[0]!);
      // Killed at a state (so many receipts seen), then a random moment later: anywhere in the next write or sync.
      if (!killing && receipts.length >= receiptsBeforeKill) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(receipts);
      else reject(new Error(`the host ended by itself (code ${code}): ${stderr.slice(0, 2000)}`));
    });
  });
}

/** What the data folder holds now: outbox entries without their audit entry, and the chain's verdict. */
async function afterTheKill(
  receipts: readonly Receipt[],
): Promise<{ unaudited: string[]; lost: string[]; chainOk: boolean; waiting: number; delivered: number }> {
  const vault = await station.openVault();
  const log = await openAuditLog({ dataDir: station.dataDir, custodian: station.custodian, create: false });
  try {
    const audited = new Set([...log.iterate()].filter((e) => e.action === 'create' || e.action === 'update').flatMap((e) => e.resources));
    const unaudited = vault.outbox
      .pending()
      .flatMap((entry) => entry.items.map((item) => `${item.resource.resourceType}/${item.resource.id}`))
      .filter((key) => !audited.has(key));
    const lost: string[] = [];
    let waiting = 0;
    for (const receipt of receipts) {
      if (vault.outbox.get(receipt.entryId) !== null) {
        waiting += 1;
        continue;
      }
      for (const id of receipt.resourceIds) if ((await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, id)) !== 1) lost.push(id);
    }
    return { unaudited, lost, chainOk: log.verify().ok, waiting, delivered: receipts.length - waiting };
  } finally {
    log.close();
    vault.close();
  }
}

describe('kill -9 while documenting', () => {
  it(`loses nothing and doubles nothing over ${KILLS} kills of the host at random points`, async () => {
    // Seeded: a failure names its trial, and the same seed kills at the same states again.
    let seed = 20261206;
    const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const all: Receipt[] = [];
    let caughtWaiting = 0;
    let caughtDelivered = 0;
    for (let trial = 0; trial < KILLS; trial += 1) {
      const receipts = await documentAndKill(1 + Math.floor(random() * 6), Math.floor(random() * 400));
      all.push(...receipts);
      const found = await afterTheKill(receipts);
      expect(found.unaudited, `trial ${trial}: outbox entries without their audit entry`).toEqual([]);
      expect(found.lost, `trial ${trial}: documentation neither waiting nor at the hub once`).toEqual([]);
      expect(found.chainOk, `trial ${trial}: the audit chain`).toBe(true);
      caughtWaiting += found.waiting;
      caughtDelivered += found.delivered;
    }
    // Meaningful only when kills caught documentation both on its way and already at the hub.
    expect(all.length).toBeGreaterThanOrEqual(KILLS);
    expect(caughtWaiting).toBeGreaterThan(0);
    expect(caughtDelivered).toBeGreaterThan(0);

    // The next start delivers the rest (here `wardline sync`): everything at the hub exactly once.
    const synced = await wardline(['sync', '--json', '--data', station.dataDir]);
    expect(synced.stderr).toBe('');
    expect(synced.code).toBe(0);
    expect(JSON.parse(synced.stdout)).toMatchObject({ outboxPending: 0, auditPending: 0 });
    // Nobody else wrote: a conflict would be this workstation meeting its own change (a lost answer).
    const status = await wardline(['status', '--json', '--data', station.dataDir]);
    expect(JSON.parse(status.stdout)).toMatchObject({ sync: { outboxPending: 0, conflicts: 0 } });
    expect(amended.size, 'corrections made under the kills').toBeGreaterThan(0);
    for (const id of amended) {
      const rows = await hub.db.query<{ content: string }>(
        "SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = 'Observation' AND res_id = $1",
        [id],
      );
      expect((JSON.parse(rows[0]!.content) as { status: string }).status, `Observation/${id} at the hub`).toBe('corrected');
    }
    const copies = await Promise.all(
      all.flatMap((r) => r.resourceIds).map(async (id) => [id, await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, id)] as const),
    );
    expect(
      copies.filter(([, n]) => n !== 1),
      'documentation not held exactly once',
    ).toEqual([]);
    const { head, deviceId, pending } = await workstationAuditHead(station.dataDir, station.custodian);
    expect(pending).toBe(0);
    const held = await auditHeldByHub(hub, deviceId!);
    expect(held).toMatchObject({ events: head.sequence, sequences: head.sequence });
    expect(held.chain).toEqual({ highestContiguousSequence: head.sequence, gaps: [], hashMismatches: [], reusedSequences: [] });
  }, 300_000);
});
