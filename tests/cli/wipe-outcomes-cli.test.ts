// What `wardline wipe` says when the hub does not end up with the whole audit trail (exit 3), and
// what a forced wipe's export holds. Real processes (the `wardline` CLI), the real OS keystore, a
// real hub over HTTPS behind the fault proxy:
// - every entry reached the hub but the signed checkpoint did not: the line says no entry is left
//   unsent and that the checkpoint was not stored, instead of "0 entries were not sent";
// - the hub refused the wipe's entry (409: it holds another entry under that id, the trail here
//   having been put back from a copy) and holds another entry at the signed head: the line names
//   the refusal, its code and the mismatch at the head;
// - `wipe --force --export FILE`: FILE holds the wipe's own entries (start, end), on a chain that
//   verifies; killed while FILE is written again with them, FILE is still the whole first export,
//   and the entries are not lost: the next wipe refuses and names them, and its export holds them.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../electron/audit/index.js';
import { createKeytarCustodian, keyNameFor } from '../../electron/vault/index.js';
import { AUDIT_CHAIN_EXTENSION_URL, GENESIS_PREVIOUS_HASH } from '../../shared/auth/index.js';
import type { AuditEvent, Bundle } from '../../shared/fhir/index.js';
import { auditHeldByHub, workstationAuditHead } from '../support/audit-at-hub.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { cliWorkstations } from '../support/cli-workstations.js';
import { wardline } from '../support/wardline-cli.js';
import { seedGeneratedWard } from '../sync/sync-test-kit.js';

const custodian = createKeytarCustodian();
let hub: TestHub;
let proxy: FaultProxy;
const workstations = cliWorkstations(() => hub, custodian, 'wardline-wipe-outcome-');

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  await seedGeneratedWard(hub.db, 'a', { seed: 'wipe-outcomes-cli', patients: 1, days: 1 });
  proxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem });
});

afterAll(async () => {
  await workstations.removeAll();
  await proxy?.stop();
  await hub?.stop();
});

const folder = (): string => workstations.folder();
const enrolledAndUploaded = (dir: string): Promise<string> => workstations.enrolledAndUploaded(dir, { url: proxy.url, pin: proxy.pin });

describe('a wipe whose last upload leaves the hub without the whole trail', () => {
  it(
    'says no entry is left unsent but the signed checkpoint was not stored, when only the checkpoint fails (exit 3)',
    { timeout: 300_000 },
    async () => {
      const dir = folder();
      const deviceId = await enrolledAndUploaded(dir);
      proxy.setFaults({ drop: 1 }, (path) => path.startsWith('/audit/checkpoint'));
      let wipe;
      try {
        wipe = await wardline(['wipe', '--data', dir]);
      } finally {
        proxy.setFaults(null);
      }
      expect(wipe.code).toBe(3);
      const line = wipe.stderr.trim();
      expect(line.split('\n')).toHaveLength(1);
      expect(line).toContain("no audit entry is left unsent (2 sent now, this wipe's included)");
      expect(line).toContain('the signed checkpoint of the chain head (sequence 3) was not stored, the hub could not be reached');
      expect(line).not.toMatch(/were not sent|could not be reached \(/);
      expect(line).toContain(`wardline audit export --format fhir --data ${dir} > FILE`);
      // True: the hub holds the whole chain, the wipe's start and end included, and no checkpoint of its head.
      expect((await auditHeldByHub(hub, deviceId)).chain).toEqual({
        highestContiguousSequence: 3,
        gaps: [],
        hashMismatches: [],
        reusedSequences: [],
      });
      expect(await hub.db.query('SELECT sequence FROM audit_checkpoints WHERE device_id = $1 AND sequence = 3', [deviceId])).toEqual([]);
      expect(await workstationAuditHead(dir, custodian)).toMatchObject({ pending: 0 });
      expect(await custodian.load(keyNameFor(dir, 'device'))).toBeNull();
    },
  );

  it(
    'names the refusal and its reason, and the different entry the hub holds at the signed head, when its chain is not the hub’s (409)',
    { timeout: 300_000 },
    async () => {
      const dir = folder();
      const deviceId = await enrolledAndUploaded(dir);
      // The audit trail as it was now, put back later (a restored copy of the data folder).
      const saved = readdirSync(dir).filter((name) => name.startsWith('audit.db'));
      for (const name of saved) copyFileSync(join(dir, name), join(dir, `${name}.saved`));
      // Two entries the hub will hold at 2 and 3, where the restored trail then puts the wipe's own.
      for (let i = 0; i < 2; i += 1) expect((await wardline(['audit', 'export', '--format', 'csv', '--data', dir])).code).toBe(0);
      const upload = await wardline(['audit', 'upload', '--json', '--data', dir]);
      expect(JSON.parse(upload.stdout)).toMatchObject({ pending: 0, hubAcknowledged: 3 });
      for (const name of readdirSync(dir).filter((n) => n.startsWith('audit.db') && !n.endsWith('.saved'))) rmSync(join(dir, name));
      for (const name of saved) copyFileSync(join(dir, `${name}.saved`), join(dir, name));
      expect((await workstationAuditHead(dir, custodian)).head.sequence).toBe(1);

      const wipe = await wardline(['wipe', '--data', dir]);
      expect(wipe.code).toBe(3);
      const line = wipe.stderr.trim();
      expect(line.split('\n')).toHaveLength(1);
      expect(line).toContain(
        '2 audit entries were not sent: the hub refused them (2 AUDIT_EVENT_CONFLICT: the hub holds other entries under the same ids: the chain here is not the one the hub holds)',
      );
      expect(line).toContain('the hub holds a different entry at the signed chain head (sequence 3)');
      expect(line).toContain(`wardline audit export --format fhir --data ${dir} > FILE`);
      // True: the wipe's entries stay here, the hub kept its own entries 2 and 3 and flagged the signed head.
      expect(await workstationAuditHead(dir, custodian)).toMatchObject({ pending: 2, head: { sequence: 3 } });
      expect((await auditHeldByHub(hub, deviceId)).chain).toMatchObject({ highestContiguousSequence: 3, hashMismatches: [3] });
    },
  );
});

describe('a forced wipe', () => {
  it(
    "exports the trail with the wipe's own entries, on a chain that verifies, and leaves no partial file",
    { timeout: 300_000 },
    async () => {
      const dir = folder();
      expect((await wardline(['init', '--data', dir])).code).toBe(0);
      const log = await openAuditLog({ dataDir: dir, custodian });
      log.recordAll(
        [1, 2].map((i) => ({ action: 'chart-read' as const, user: 'u-nurse-1', patient: `p-${i}`, resources: [`Patient/p-${i}`] })),
      );
      log.close();
      const exportFolder = folder();
      const file = join(exportFolder, 'decommission.json');

      const forced = await wardline(['wipe', '--force', '--export', file, '--data', dir]);
      expect(forced.stderr).toBe('');
      expect(forced.code).toBe(0);
      expect(readdirSync(exportFolder)).toEqual(['decommission.json']);

      const bundle = JSON.parse(readFileSync(file, 'utf8')) as Bundle;
      const events = (bundle.entry ?? []).map((e) => e.resource as AuditEvent);
      const bodies = events.map((event) => chainOf(event));
      expect(bodies.map((b) => b.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(bodies.map((b) => b.body.action)).toEqual(['chart-read', 'chart-read', 'audit-export', 'wipe', 'wipe']);
      expect(bodies[2]!.body.detail).toMatchObject({ reason: 'forced-wipe', auditUnsent: 2 });
      expect(bodies[3]!.body.detail).toMatchObject({ stage: 'started', forced: true, auditUnsent: 2 });
      expect(bodies[4]!.body.detail).toMatchObject({ stage: 'ended', forced: true, auditUnsent: 2 });
      // The chain verifies from the export alone: each hash is SHA-256(previous hash ‖ hashed entry).
      let previous = GENESIS_PREVIOUS_HASH;
      for (const { previousHash, hash, entry } of bodies) {
        expect(previousHash).toBe(previous);
        expect(createHash('sha256').update(previousHash).update(entry).digest('hex')).toBe(hash);
        previous = hash;
      }
      const local = await workstationAuditHead(dir, custodian);
      expect(local.head).toMatchObject({ sequence: 5, hash: previous });
      expect((await wardline(['audit', 'verify', '--data', dir])).code).toBe(0);
      expect(forced.stdout).toContain("holds the wipe's own entries");
    },
  );
});

describe('a forced wipe killed while its export is written again with its own entry', () => {
  it(
    'leaves the whole first export, and the entry waits in the trail: the next wipe refuses and names it, and its export holds it',
    {
      timeout: 600_000,
    },
    async () => {
      let caught: { dir: string; file: string } | null = null;
      // On a busy machine the kill can land after the export was replaced: then again, in a new folder.
      for (let attempt = 0; attempt < 5 && caught === null; attempt += 1) {
        const dir = folder();
        expect((await wardline(['init', '--data', dir])).code).toBe(0);
        const log = await openAuditLog({ dataDir: dir, custodian });
        for (let i = 0; i < 40; i += 1) {
          log.recordAll(Array.from({ length: 1000 }, () => ({ action: 'sign-in-failed' as const, outcome: 'minor-failure' as const })));
        }
        log.close();
        const file = join(folder(), 'decommission.json');
        const partial = `${file}.`;
        const child = spawn(
          process.execPath,
          [join(import.meta.dirname, '..', '..', 'bin', 'wardline.js'), 'wipe', '--force', '--export', file, '--data', dir],
          {
            stdio: 'ignore',
          },
        );
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        // The second writing: FILE exists, and a .partial beside it that is not FILE itself (the first is linked to it).
        const secondWriting = (): boolean => {
          if (!existsSync(file)) return false;
          const other = readdirSync(join(file, '..')).find(
            (name) => join(file, '..', name).startsWith(partial) && name.endsWith('.partial'),
          );
          if (other === undefined) return false;
          try {
            return statSync(join(file, '..', other)).ino !== statSync(file).ino;
          } catch {
            return false;
          }
        };
        let killed = false;
        while (!killed && child.exitCode === null) {
          if (secondWriting()) killed = child.kill('SIGKILL');
          else await new Promise((resolve) => setImmediate(resolve));
        }
        await exited;
        if (killed) caught = { dir, file };
      }
      expect(caught).not.toBeNull();
      const { dir, file } = caught!;
      // FILE is whole: the first export, ending with the export's own entry.
      const first = (JSON.parse(readFileSync(file, 'utf8')) as Bundle).entry!.map((e) => chainOf(e.resource as AuditEvent));
      expect(first).toHaveLength(40_001);
      expect(first[first.length - 1]!.body.action).toBe('audit-export');
      // The wipe's entries (start and end) were recorded before the kill; nothing of them is lost.
      const trail = await workstationAuditHead(dir, custodian);
      expect(trail.head.sequence).toBe(40_003);
      const again = await wardline(['wipe', '--data', dir]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('40003 audit entries not sent to the hub');
      const second = join(folder(), 'decommission-2.json');
      const forced = await wardline(['wipe', '--force', '--export', second, '--data', dir]);
      expect(forced.stderr).toBe('');
      expect(forced.code).toBe(0);
      const actions = (JSON.parse(readFileSync(second, 'utf8')) as Bundle).entry!.map((e) => chainOf(e.resource as AuditEvent).body.action);
      expect(actions.slice(40_000)).toEqual(['audit-export', 'wipe', 'wipe', 'audit-export', 'wipe', 'wipe']);
    },
  );
});

/** The chain position and hashed entry an exported AuditEvent carries. */
function chainOf(event: AuditEvent): {
  sequence: number;
  previousHash: string;
  hash: string;
  entry: Buffer;
  body: { action: string; detail: Record<string, unknown> };
} {
  const chain = event.extension?.find((e) => e.url === AUDIT_CHAIN_EXTENSION_URL)?.extension ?? [];
  const value = (url: string) => chain.find((e) => e.url === url);
  const entry = Buffer.from(value('entry')!.valueBase64Binary!, 'base64');
  return {
    sequence: value('sequence')!.valueInteger!,
    previousHash: value('previousHash')!.valueString!,
    hash: value('hash')!.valueString!,
    entry,
    body: JSON.parse(entry.toString('utf8')) as { action: string; detail: Record<string, unknown> },
  };
}
