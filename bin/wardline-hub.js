#!/usr/bin/env -S node --max-semi-space-size=64
// The `wardline-hub` CLI: the central FHIR R4 hub (serve, user add, token). Node runs it with the
// hub's options (server/cli/node-options.ts) when it is started as `wardline-hub` or through this file.
import { register } from 'tsx/esm/api';

register();
const { runHubCli } = await import('../server/cli/index.ts');
process.exitCode = await runHubCli(process.argv.slice(2));
