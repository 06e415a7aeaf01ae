// Every event the `wardline` CLI causes goes into the audit chain (issue 15), as IT runs it: real
// processes, the real OS keystore, a real hub over HTTPS. `wardline enroll` records the enrollment;
// a `wardline sync` that purges a patient who left the ward records the purge (ids only) and sends
// it to the hub with the rest of the trail, where the privacy officer finds it; the chain verifies.
// (Wipe and rekey are shown in wardline-cli.test.ts and rekey-cli.test.ts.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Bundle, Encounter } from '../../shared/fhir/index.js';
import type { SyntheticWard } from '../../shared/synthetic/index.js';
import { addUser, createEnrollmentToken } from '../../server/identity/index.js';
import { createKeytarCustodian, keyNameFor, wipeVault } from '../../electron/vault/index.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { feedResources } from '../support/hub-fixtures.js';
import { wardline } from '../support/wardline-cli.js';
import { seedGeneratedWard } from '../sync/sync-test-kit.js';

const PASSWORD = 'correct horse battery staple';
let hub: TestHub;
let ward: SyntheticWard;
let dataDir: string;

interface CsvRow {
  readonly sequence: number;
  readonly action: string;
  readonly patient: string;
  readonly line: string;
}

/** The rows of `wardline audit export --format csv` (the columns before `detail` hold no commas). */
function rows(csv: string): CsvRow[] {
  const [header, ...lines] = csv.trimEnd().split('\n');
  const columns = header!.split(',');
  const at = (name: string): number => columns.indexOf(name);
  return lines.map((line) => {
    const cells = line.split(',');
    return { sequence: Number(cells[at('sequence')]), action: cells[at('action')]!, patient: cells[at('patient')]!, line };
  });
}

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  ward = await seedGeneratedWard(hub.db, 'a', { seed: 'cli-events-in-chain', patients: 3, days: 1 });
  dataDir = mkdtempSync(join(tmpdir(), 'wardline-cli-chain-'));
});

afterAll(async () => {
  const custodian = createKeytarCustodian();
  await wipeVault({ dataDir, custodian }).catch(() => undefined);
  await custodian.destroy(keyNameFor(dataDir, 'device')).catch(() => undefined);
  await custodian.destroy(keyNameFor(dataDir, 'audit')).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  await hub?.stop();
});

describe('events the wardline CLI causes, in the audit chain', () => {
  it('records the enrollment and the purge of a patient who left, verifies, and the hub holds them', { timeout: 300_000 }, async () => {
    const token = await createEnrollmentToken(hub.db, { ward: 'a' });
    const enrolled = await wardline(['enroll', '--hub', hub.url, '--token', token, '--pin', hub.pin, '--data', dataDir]);
    expect(enrolled.stderr).toBe('');
    expect(enrolled.code).toBe(0);
    const afterEnroll = rows((await wardline(['audit', 'export', '--format', 'csv', '--data', dataDir])).stdout);
    const enrollment = afterEnroll.filter((row) => row.action === 'enrollment');
    expect(enrollment).toHaveLength(1);
    expect(enrollment[0]!.line).toContain(hub.url);

    const first = await wardline(['sync', '--data', dataDir]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);

    // The hospital discharges one patient (the hub's own source); the next `wardline sync` purges them.
    const leaving = ward.patients[2]!;
    const leavingId = leaving.patient.id!;
    await feedResources(hub.db, [
      { ...leaving.encounter, status: 'finished', period: { ...leaving.encounter.period, end: new Date().toISOString() } } as Encounter,
    ]);
    const second = await wardline(['sync', '--json', '--data', dataDir]);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);

    const trail = rows((await wardline(['audit', 'export', '--format', 'csv', '--data', dataDir])).stdout);
    const purges = trail.filter((row) => row.action === 'purge');
    expect(purges.map((row) => row.patient)).toEqual([leavingId]);
    // Ids only: no name or MRN of the patient in the entry.
    const family = leaving.patient.name![0]!.family!;
    const mrn = leaving.patient.identifier![0]!.value!;
    expect(purges[0]!.line).not.toContain(family);
    expect(purges[0]!.line).not.toContain(mrn);
    // One chain: the sequence has no gap and the enrollment comes before the purge.
    expect(trail.map((row) => row.sequence)).toEqual(trail.map((_, i) => i + 1));
    expect(trail.findIndex((row) => row.action === 'enrollment')).toBeLessThan(trail.findIndex((row) => row.action === 'purge'));
    const verified = await wardline(['audit', 'verify', '--json', '--data', dataDir]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });

    // `wardline sync` sent the trail: the privacy officer finds both events at the hub.
    await addUser(
      hub.db,
      { username: 'privacy.a', password: PASSWORD, role: 'admin', wards: ['a'], mfa: false },
      new Date(Date.now() - 86_400_000),
    );
    const officer = await (await hub.enrollDevice('a')).signedIn('privacy.a', PASSWORD);
    const search = async (query: string): Promise<AuditEvent[]> => {
      const response = await officer.fetch(`/fhir/AuditEvent?${query}&_count=100`);
      expect(response.status).toBe(200);
      return ((await response.json()) as Bundle).entry?.map((e) => e.resource as AuditEvent) ?? [];
    };
    expect(await search('wardline-action=enrollment')).toHaveLength(1);
    const purgedAtHub = await search(`wardline-action=purge&patient=${leavingId}`);
    expect(purgedAtHub).toHaveLength(1);
  });
});
