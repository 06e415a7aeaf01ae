// `wardline wipe` killed midway leaves its own record (issue 15: every event the CLI causes goes
// into the chain). The wipe commits a `wipe` entry (`stage: "started"`) to the audit trail before
// it destroys anything; a SIGKILL right after, before or after the vault key is destroyed, leaves
// that entry in the trail, unsent: the next wipe refuses and names it, and it reaches the hub (an
// upload, while the enrollment is still readable) or the operator's export (a forced wipe, once the
// vault is unreadable). Real processes: the wipe runs through the CLI's own entry (runAdmin) in a
// child killed at a named point (tests/cli/children/killed-cli.ts: found through the keystore
// port, not by timing); everything after through `wardline`; the real OS keystore; a real hub over
// HTTPS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog, type AuditEntry } from '../../electron/audit/index.js';
import { createKeytarCustodian, keyNameFor } from '../../electron/vault/index.js';
import { AUDIT_CHAIN_EXTENSION_URL } from '../../shared/auth/index.js';
import type { AuditEvent, Bundle } from '../../shared/fhir/index.js';
import { auditHeldByHub, workstationAuditHead } from '../support/audit-at-hub.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { cliWorkstations } from '../support/cli-workstations.js';
import { wardline } from '../support/wardline-cli.js';
import { seedGeneratedWard } from '../sync/sync-test-kit.js';

const CHILD = join(import.meta.dirname, 'children', 'killed-cli.ts');
const custodian = createKeytarCustodian();
let hub: TestHub;
const workstations = cliWorkstations(() => hub, custodian, 'wardline-wipe-killed-');

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  await seedGeneratedWard(hub.db, 'a', { seed: 'wipe-killed-cli', patients: 1, days: 1 });
  expect((await wardline(['help'])).code).toBe(0); // the CLI bundle is (re)built here, not in a trial
});

afterAll(async () => {
  await workstations.removeAll();
  await hub?.stop();
});

const folder = (): string => workstations.folder();
const enrolledAndUploaded = (dir: string): Promise<string> => workstations.enrolledAndUploaded(dir, { url: hub.url, pin: hub.pin });

/** `wardline wipe` in a child killed just `point` the vault key is destroyed; resolves with the signal that ended it. */
function killedWipe(point: 'before' | 'after', dir: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, `destroy:vault:${point}`, 'wipe', '--data', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (_code, signal) => resolve(signal));
  });
}

/** The trail's entries from `from` on, read from audit.db (reading records nothing). */
async function entriesFrom(dir: string, from: number): Promise<AuditEntry[]> {
  const log = await openAuditLog({ dataDir: dir, custodian, create: false });
  try {
    const entries: AuditEntry[] = [];
    for (let sequence = from; sequence <= log.head().sequence; sequence += 1) entries.push(log.get(sequence)!);
    return entries;
  } finally {
    log.close();
  }
}

/** The hashed entries an exported FHIR Bundle carries, in order. */
function exportedBodies(file: string): { action: string; detail: Record<string, unknown> }[] {
  const bundle = JSON.parse(readFileSync(file, 'utf8')) as Bundle;
  return (bundle.entry ?? []).map((e) => {
    const chain = (e.resource as AuditEvent).extension?.find((x) => x.url === AUDIT_CHAIN_EXTENSION_URL)?.extension ?? [];
    const entry = chain.find((x) => x.url === 'entry')!.valueBase64Binary!;
    return JSON.parse(Buffer.from(entry, 'base64').toString('utf8')) as { action: string; detail: Record<string, unknown> };
  });
}

describe('a wipe killed midway', () => {
  it(
    'killed right after its start was recorded, before anything was destroyed: the entry is there, the next wipe refuses and names it, an upload takes it to the hub',
    { timeout: 300_000 },
    async () => {
      const dir = folder();
      const deviceId = await enrolledAndUploaded(dir);
      expect(await killedWipe('before', dir)).toBe('SIGKILL');

      // Nothing was destroyed, and the wipe's start is in the trail, waiting for the hub.
      expect(await custodian.load(keyNameFor(dir, 'vault'))).not.toBeNull();
      const [started, ...after] = await entriesFrom(dir, 2);
      expect(started).toMatchObject({ action: 'wipe', requestor: true, outcome: 'success', detail: { by: 'cli', stage: 'started' } });
      expect(after).toEqual([]);
      expect(await workstationAuditHead(dir, custodian)).toMatchObject({ pending: 1 });

      const refused = await wardline(['wipe', '--data', dir]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('1 audit entry not sent to the hub');
      expect(refused.stderr).toContain('nothing was wiped');

      const upload = await wardline(['audit', 'upload', '--json', '--data', dir]);
      expect(JSON.parse(upload.stdout)).toMatchObject({ sent: 1, pending: 0, hubAcknowledged: 2 });
      const [atHub] = await hub.db.query<{ action: string }>('SELECT action FROM audit_events WHERE device_id = $1 AND sequence = 2', [
        deviceId,
      ]);
      expect(atHub).toMatchObject({ action: 'wipe' });

      // Now the wipe goes through, and the hub holds its start and end after the interrupted one.
      const wiped = await wardline(['wipe', '--data', dir]);
      expect(wiped.stderr).toBe('');
      expect(wiped.code).toBe(0);
      expect(wiped.stdout).toContain('Sent 2 audit entries to the hub');
      expect((await entriesFrom(dir, 3)).map((e) => [e.action, e.detail.stage, e.outcome])).toEqual([
        ['wipe', 'started', 'success'],
        ['wipe', 'ended', 'success'],
      ]);
      expect((await auditHeldByHub(hub, deviceId)).chain).toMatchObject({ highestContiguousSequence: 4, gaps: [], hashMismatches: [] });
    },
  );

  it(
    'killed right after the vault key was destroyed: the wipe is in the trail, the next wipe refuses and names it, and the forced wipe’s export holds it',
    { timeout: 300_000 },
    async () => {
      const dir = folder();
      await enrolledAndUploaded(dir);
      expect(await killedWipe('after', dir)).toBe('SIGKILL');

      // The chart cache is unreadable, and the trail says a wipe began (before this fix: nothing).
      expect(await custodian.load(keyNameFor(dir, 'vault'))).toBeNull();
      const [started, ...after] = await entriesFrom(dir, 2);
      expect(started).toMatchObject({ action: 'wipe', detail: { by: 'cli', stage: 'started' } });
      expect(after).toEqual([]);

      const refused = await wardline(['wipe', '--data', dir]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('1 audit entry not sent to the hub');
      expect(refused.stderr).toContain('The vault here cannot be read');
      expect(refused.stderr).not.toContain('Sync first');

      // The enrollment went with the vault: the operator's export is where the entry goes.
      const file = join(folder(), 'decommission.json');
      const forced = await wardline(['wipe', '--force', '--export', file, '--data', dir]);
      expect(forced.stdout).toContain("holds the wipe's own entries");
      expect(exportedBodies(file).map((b) => [b.action, b.detail.stage ?? null])).toEqual([
        ['enrollment', null],
        ['wipe', 'started'],
        ['audit-export', null],
        ['wipe', 'started'],
        ['wipe', 'ended'],
      ]);
      expect((await wardline(['audit', 'verify', '--data', dir])).code).toBe(0);
    },
  );
});
