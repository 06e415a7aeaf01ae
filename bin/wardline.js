#!/usr/bin/env node
// The `wardline` admin CLI for development and CI: runs the same bundle the app ships
// (dist/electron/wardline-cli.js, which `Wardline --admin` runs), rebuilt first if a source changed.
import { pathToFileURL } from 'node:url';
import { freshCliBundle } from '../scripts/cli-bundle.mjs';

const { runAdmin } = await import(pathToFileURL(await freshCliBundle()).href);
process.exitCode = await runAdmin(process.argv.slice(2));
