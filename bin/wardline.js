#!/usr/bin/env node
// The `wardline` admin CLI (headless host). Runs the TypeScript sources through tsx; a
// packaged build ships compiled JavaScript instead.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../electron/cli/index.ts');
process.exitCode = await runCli(process.argv.slice(2));
