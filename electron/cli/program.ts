// The admin CLI bundle's entry (scripts/build-electron.mjs makes dist/electron/wardline-cli.js of
// it). Run as a program (`node wardline-cli.js <command> ...`) it runs the command and sets the exit
// code; imported (bin/wardline.js, `Wardline --admin` in electron/main.ts) it only exports runAdmin.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runAdmin } from './run-admin.js';

export { runAdmin, type AdminOptions } from './run-admin.js';

function isTheProgram(): boolean {
  const started = process.argv[1];
  if (started === undefined) return false;
  try {
    return realpathSync(started) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isTheProgram()) process.exitCode = await runAdmin(process.argv.slice(2));
