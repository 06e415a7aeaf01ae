// A reader that leaves early (`wardline status | head -3`, a pager quit at once) must not turn into
// a Node stack trace: both CLIs drop the rest of their output and finish the command with its own
// exit code. The workstation's export still leaves a verifiable chain behind it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuditLog } from '../../electron/audit/index.js';
import { temporaryAuditDir } from '../../electron/audit/test-helpers.js';
import { wardline } from '../support/wardline-cli.js';

const ROOT = path.join(import.meta.dirname, '..', '..');

/** Runs a CLI whose stdout reader is gone before it writes anything; resolves with code and stderr. */
function withReaderGone(bin: string, args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', bin), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('a CLI whose reader leaves early', () => {
  it('wardline and wardline-hub finish without a stack trace', async () => {
    for (const bin of ['wardline.js', 'wardline-hub.js']) {
      const run = await withReaderGone(bin, ['help']);
      expect(run.stderr, bin).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
      expect(run.code, bin).toBe(0);
    }
  }, 300_000);

  it('an audit export cut off by its reader keeps the chain verifiable', async () => {
    const trail = temporaryAuditDir('closed-reader');
    const dir = trail.dir;
    const log = await openAuditLog({ dataDir: dir, custodian: trail.custodian });
    for (let i = 1; i <= 3; i += 1) {
      log.record({
        action: 'chart-read',
        user: 'u-nurse-1',
        session: 's-1',
        patient: `p-${i}`,
        resources: [`Patient/p-${i}`],
        purposeOfUse: 'TREAT',
      });
    }
    log.close();

    const cut = await withReaderGone('wardline.js', ['audit', 'export', '--format', 'csv', '--data', dir]);
    expect(cut.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(cut.code).toBe(0);

    const verify = await wardline(['audit', 'verify', '--data', dir]);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    const exported = await wardline(['audit', 'export', '--format', 'csv', '--data', dir]);
    expect(exported.stdout.match(/audit-export/g)).toHaveLength(2);
    await trail.remove();
  }, 300_000);
});
