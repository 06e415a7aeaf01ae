#!/usr/bin/env node
// The `wardline` admin CLI (headless host). Runs the TypeScript sources through tsx; a
// packaged build ships compiled JavaScript instead.
import { register } from 'tsx/esm/api';

register();
const { runCli, isKeystoreHung } = await import('../electron/cli/index.ts');
const exitCode = await runCli(process.argv.slice(2));
if (isKeystoreHung()) {
  // A keystore call that timed out is stuck in an OS thread, which would keep the process alive
  // (even process.exit waits for the thread pool). The error has been printed: end at once.
  process.kill(process.pid, 'SIGKILL');
}
process.exitCode = exitCode;
