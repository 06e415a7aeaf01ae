// `wardline audit verify|export` as IT and the privacy officer run it: a real process, the real
// OS keystore, a real audit trail.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../electron/audit/index.js';
import { rawAuditHandle, tamperBody, temporaryAuditDir, type AuditTestDir } from '../../electron/audit/test-helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wardline.js');
let dir: AuditTestDir;

function wardline(args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { env: process.env, encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeEach(async () => {
  dir = temporaryAuditDir('audit-cli');
  let now = Date.UTC(2026, 2, 1, 8);
  const log = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian, now: () => now });
  for (let i = 1; i <= 6; i += 1) {
    log.record(
      i === 2
        ? {
            action: 'query',
            user: 'u-nurse-1',
            session: 's-1',
            patient: 'p-2',
            purposeOfUse: 'TREAT',
            query: '=HYPERLINK("http://evil.example")',
          }
        : {
            action: 'chart-read',
            user: 'u-nurse-1',
            session: 's-1',
            patient: `p-${i}`,
            resources: [`Patient/p-${i}`],
            purposeOfUse: 'TREAT',
            detail: { view: 'summary' },
          },
    );
    now += 24 * 3_600_000;
  }
  log.close();
});

afterEach(async () => {
  await dir.remove();
});

describe('wardline audit', () => {
  it('verifies an intact trail (exit 0) and names the first bad sequence of a tampered one (exit 1)', async () => {
    const intact = wardline(['audit', 'verify', '--data', dir.dir]);
    expect(intact).toMatchObject({ code: 0, stderr: '' });
    expect(intact.stdout).toMatch(/intact: 6 entries/);

    const raw = await rawAuditHandle(dir.dir, dir.custodian);
    tamperBody(
      raw,
      4,
      (body) => {
        body.user = 'u-someone-else';
      },
      { rehash: true },
    );
    raw.close();
    const broken = wardline(['audit', 'verify', '--data', dir.dir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/broken at sequence 4 \(altered\)/);
    const json = wardline(['audit', 'verify', '--json', '--data', dir.dir]);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, firstBadSequence: 4, problem: 'altered' });
  });

  it('exports CSV since a date, with formula-looking cells defused, and records the export', () => {
    const csv = wardline(['audit', 'export', '--since', '2026-03-03', '--format', 'csv', '--data', dir.dir]);
    expect(csv).toMatchObject({ code: 0, stderr: '' });
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'sequence,time,user,session,action,patient,resources,outcome,purposeOfUse,requestor,query,detail,previousHash,hash,auditEventId',
    );
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['3', '4', '5', '6', '7']);
    expect(lines.at(-1)).toMatch(/^7,.*,audit-export,/);

    const all = wardline(['audit', 'export', '--format', 'csv', '--data', dir.dir]);
    const second = all.stdout.split('\n').find((l) => l.startsWith('2,'));
    expect(second).toContain(',"\'=HYPERLINK(""http://evil.example"")",');
  });

  it('exports a FHIR Bundle of AuditEvents carrying the chain', () => {
    const fhir = wardline(['audit', 'export', '--format', 'fhir', '--data', dir.dir]);
    expect(fhir.code).toBe(0);
    const bundle = JSON.parse(fhir.stdout) as {
      resourceType: string;
      type: string;
      entry: { resource: { resourceType: string; extension: unknown[] } }[];
    };
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry).toHaveLength(7);
    expect(bundle.entry.every((e) => e.resource.resourceType === 'AuditEvent' && e.resource.extension.length === 1)).toBe(true);
  });

  it('explains usage mistakes in one line (exit 2), and other commands still refuse stray arguments', () => {
    for (const args of [
      ['audit'],
      ['audit', 'repair'],
      ['audit', 'export', '--data', dir.dir],
      ['audit', 'export', '--format', 'xml', '--data', dir.dir],
      ['audit', 'verify', '--format', 'csv', '--data', dir.dir],
      ['audit', 'export', '--format', 'csv', '--since', 'last week', '--data', dir.dir],
    ]) {
      const run = wardline(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(wardline(['status', 'verify', '--data', dir.dir]).code).toBe(2);
  });

  it('says there is no audit trail instead of creating one', () => {
    const empty = temporaryAuditDir('audit-cli-empty');
    try {
      const run = wardline(['audit', 'verify', '--data', empty.dir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/no audit trail/);
      expect(wardline(['audit', 'export', '--format', 'csv', '--data', empty.dir]).code).toBe(1);
    } finally {
      void empty.remove();
    }
  });
});
