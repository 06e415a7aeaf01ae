// `npm run bench [-- --json] [-- name…]`: runs every bench/*.bench.ts one after another, each in
// its own process (so one benchmark's heap and caches don't colour the next), and passes --json on.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.filter((a) => !a.startsWith('--'));

const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
  .sort();

let failed = 0;
for (const file of files) {
  if (!json) process.stdout.write(`\n# ${file}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, file), ...(json ? ['--json'] : [])], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: process.env,
  });
  if (run.status !== 0) {
    failed += 1;
    process.stderr.write(`bench: ${file} failed (exit ${run.status ?? run.signal})\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
