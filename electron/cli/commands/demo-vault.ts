// `wardline demo --vault-only [--data DIR] [--patients N] [--days D]`: a workstation vault filled
// with a synthetic ward (seeded generator), then the census and one chart read back from it.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateWard } from '../../../shared/synthetic/index.js';
import { createHostLogger } from '../../host/index.js';
import { createVault, vaultExists, wipeVault, type CensusEntry, type Vault } from '../../vault/index.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { stringValue, type CliValues } from './command.js';
import { cliCustodian } from './workstation.js';

export const DEFAULT_VAULT_DEMO_DIR = '.wardline-data/demo';
const DEMO_SEED = 20261123;

export function positiveInt(values: CliValues, name: string, fallback: number, max: number): number {
  const raw = stringValue(values, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError('USAGE', `--${name} must be a whole number from 1 to ${max}`);
  return n;
}

function ageOf(birthDate: string | null, nowMs: number): string {
  if (!birthDate) return '?';
  const years = Math.floor((nowMs - Date.parse(birthDate)) / (365.25 * 24 * 3600 * 1000));
  return String(years);
}

function censusLine(entry: CensusEntry, nowMs: number): string {
  const sex = entry.gender ? entry.gender[0]!.toUpperCase() : '?';
  const alerts = entry.alerts.map((a) => a.text).join('; ') || '-';
  const lastVitals = entry.lastVitalsAt ? new Date(entry.lastVitalsAt).toTimeString().slice(0, 5) : '-';
  return `${(entry.bed ?? '-').padEnd(8)} ${entry.name.padEnd(28)} ${`${ageOf(entry.birthDate, nowMs)}${sex}`.padEnd(5)} ${(entry.hasAllergies ? 'allergies' : '').padEnd(10)} ${lastVitals.padEnd(6)} ${alerts}`;
}

export const DEMO_MARKER = '.wardline-demo';

/**
 * A fresh demo vault. The demo owns its data directory (marked by a file): an earlier demo vault
 * there is wiped first; a directory holding any other vault is refused, never touched.
 */
async function freshDemoVault(dataDir: string, ward: string): Promise<Vault> {
  const custodian = cliCustodian();
  if (vaultExists(dataDir)) {
    if (!existsSync(join(dataDir, DEMO_MARKER))) {
      throw new CliError('USAGE', `${dataDir} holds a vault that the demo did not create; choose another --data directory`, 1);
    }
    await wipeVault({ dataDir, custodian });
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, DEMO_MARKER), 'This directory holds a Wardline demo vault with synthetic patients only.\n');
  return createVault({ dataDir, custodian, logger: createHostLogger(dataDir), ward });
}

export async function runVaultDemo(values: CliValues, io: CliIo): Promise<number> {
  const dataDir = resolve(stringValue(values, 'data') ?? DEFAULT_VAULT_DEMO_DIR);
  const patients = positiveInt(values, 'patients', 12, 200);
  const days = positiveInt(values, 'days', 7, 400);
  const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
  const ward = generateWard({ seed: DEMO_SEED, patients, days, now });
  const vault = await freshDemoVault(dataDir, ward.location.id ?? 'ward-demo');
  try {
    const started = performance.now();
    vault.resources.upsertMany(ward.resources);
    const ms = performance.now() - started;
    const status = vault.status();
    io.out(`Demo vault: ${dataDir}`);
    io.out(`  encrypted with ${status.cipher} (schema ${status.schemaVersion}); key in the OS keystore`);
    io.out(
      `  ${ward.resources.length} synthetic resources validated and stored in ${Math.round(ms)} ms; vault holds ${status.patients} patients, ${status.resources} resources`,
    );
    io.out('');
    io.out(`Census of ${ward.ward.name} (synthetic patients):`);
    io.out(`${'Bed'.padEnd(8)} ${'Name'.padEnd(28)} ${'Age'.padEnd(5)} ${'Allergy'.padEnd(10)} ${'Vitals'.padEnd(6)} Alerts`);
    const nowMs = Date.parse(now);
    const census = vault.census();
    for (const entry of census) io.out(censusLine(entry, nowMs));
    const first = census[0];
    if (first) {
      const summary = vault.patientSummary(first.patientId);
      if (summary) {
        io.out('');
        io.out(`Chart of ${summary.patient.name} (${summary.patient.mrn ?? 'no MRN'}):`);
        io.out(`  allergies:   ${summary.allergies.map((a) => a.substance).join(', ') || 'none recorded'}`);
        io.out(`  problems:    ${summary.problems.map((p) => p.text).join(', ') || 'none'}`);
        io.out(`  medications: ${summary.medications.length} active`);
        for (const vital of summary.vitals) {
          const value =
            vital.components.length > 0 ? vital.components.map((c) => c.value).join('/') : String(vital.value ?? vital.valueText ?? '-');
          const unit = vital.unit ?? vital.components[0]?.unit ?? '';
          io.out(`  ${(vital.display ?? vital.code).slice(0, 40).padEnd(40)} ${value} ${unit}`);
        }
      }
    }
    io.out('');
    io.out(`Next: npx wardline status --json --data ${dataDir}    |    npm run hub (the central hub)`);
  } finally {
    vault.close();
  }
  return 0;
}
