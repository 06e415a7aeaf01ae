// The hub runs under HUB_NODE_OPTIONS wherever it is started: as the `wardline-hub` executable (its
// shebang), through `npm run hub`, and through the service unit IT copies from docs/OPERATIONS.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HUB_NODE_OPTIONS, runsWithHubNodeOptions } from './node-options.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/wardline-hub.js');
const options = HUB_NODE_OPTIONS.join(' ');
const probeDir = mkdtempSync(join(tmpdir(), 'wardline-node-options-'));
afterAll(() => rmSync(probeDir, { recursive: true, force: true }));

describe("the hub's Node.js options", () => {
  it('are those the executable wardline-hub starts Node with', () => {
    // A module preloaded into the hub's process reports the options Node was started with.
    const probe = join(probeDir, 'probe.cjs');
    writeFileSync(probe, "process.stderr.write('execArgv=' + JSON.stringify(process.execArgv) + '\\n');\n");
    const run = spawnSync(bin, ['--help'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${probe}` } });
    const line = run.stderr.split('\n').find((l) => l.startsWith('execArgv='));
    expect(line, run.stderr).toBeDefined();
    const execArgv = JSON.parse(line!.slice('execArgv='.length)) as string[];
    for (const option of HUB_NODE_OPTIONS) expect(execArgv).toContain(option);
    expect(runsWithHubNodeOptions(execArgv, '')).toBe(true);
  });

  it('are given by npm run hub and by the service unit of docs/OPERATIONS.md', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.hub).toMatch(new RegExp(`^node ${options} bin/wardline-hub\\.js serve `));
    const operations = readFileSync(join(root, 'docs/OPERATIONS.md'), 'utf8');
    const execStart = operations.split('\n').filter((l) => l.startsWith('ExecStart='));
    expect(execStart).toHaveLength(1);
    expect(execStart[0]).toMatch(new RegExp(`^ExecStart=\\S*node ${options} \\S*bin/wardline-hub\\.js serve `));
    expect(operations).toContain(`NODE_OPTIONS=${options}`);
  });

  it('are recognised on the command line or in NODE_OPTIONS, and missed when absent', () => {
    expect(runsWithHubNodeOptions([...HUB_NODE_OPTIONS], '')).toBe(true);
    expect(runsWithHubNodeOptions([], ` ${options}  --trace-warnings`)).toBe(true);
    expect(runsWithHubNodeOptions(['--import', 'tsx'], '')).toBe(false);
    expect(runsWithHubNodeOptions(['--max-semi-space-size=16'], '')).toBe(false);
  });
});
