// A benchmark that runs the hub's code in its own process (rather than starting bin/wardline-hub.js)
// measures it under the Node.js options the hub is started with (server/cli/node-options.ts): when
// this process lacks them, it runs itself again with them, and exits with that run's exit code.
import { spawnSync } from 'node:child_process';
import { HUB_NODE_OPTIONS, runsWithHubNodeOptions } from '../../server/cli/index.js';

export function runUnderHubNodeOptions(): void {
  if (runsWithHubNodeOptions()) return;
  const again = spawnSync(process.execPath, [...HUB_NODE_OPTIONS, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: process.env,
  });
  process.exit(again.status ?? 1);
}
