#!/usr/bin/env node
// The `wardline-hub` CLI: the central FHIR R4 hub (serve, user add, token).
import { register } from 'tsx/esm/api';

register();
const { runHubCli } = await import('../server/cli/index.ts');
process.exitCode = await runHubCli(process.argv.slice(2));
