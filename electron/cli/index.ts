// The `wardline` admin CLI: a headless host for IT (init, enroll, sync, status, wipe) and the demo. Each
// command is one file in commands/ (commands/index.ts names them); errors are one clear line and a
// non-zero exit. runAdmin is the entry both `wardline` (Node) and `Wardline --admin` (the app's
// binary) use; it ships as one bundle, built from program.ts.
export { runCli } from './run-cli.js';
export { commands, type CliCommand } from './commands/index.js';
export { runAdmin, type AdminOptions } from './run-admin.js';
export { isKeystoreHung } from './commands/workstation.js';
export type { CliIo } from './cli-io.js';
