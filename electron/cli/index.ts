// The `wardline` admin CLI: a headless host for IT (init, enroll, sync, status, wipe) and the demo. Each
// command is one file in commands/; errors are one clear line and a non-zero exit.
export { runCli } from './run-cli.js';
export { isKeystoreHung } from './commands/workstation.js';
export type { CliIo } from './cli-io.js';
