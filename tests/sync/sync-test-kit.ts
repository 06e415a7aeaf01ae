// Shared setup of the sync tests: a synthetic ward loaded into a real hub, a workstation enrolled
// through the real /auth/enroll (keys in the real OS keystore), the ward as the hub holds it, and
// the comparison of a vault with it. Synthetic patients only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { importResources } from '../../server/fhir/index.js';
import { addUser, createEnrollmentToken } from '../../server/identity/index.js';
import type { SqlDatabase } from '../../server/storage/index.js';
import { referenceId, type Resource } from '../../shared/fhir/index.js';
import { generateWard, type SyntheticWard } from '../../shared/synthetic/index.js';
import type { DocumentationAuthor } from '../../electron/documentation/index.js';
import {
  createSyncEngine,
  enrollWorkstation,
  type SyncAuditEvent,
  type SyncAuditSink,
  type SyncEngine,
  type SyncPolicy,
} from '../../electron/sync/index.js';
import { createKeytarCustodian, keyNameFor, openVault, wipeVault, type KeyCustodian, type Vault } from '../../electron/vault/index.js';
import type { TestHub } from '../support/hub-harness.js';

export const NOW = '2026-01-15T08:00:00Z';

/** A generated ward written into the hub's store, as the hospital's feed would. */
export async function seedGeneratedWard(
  db: SqlDatabase,
  wardId: string,
  options: { seed: string; patients: number; days: number },
): Promise<SyntheticWard> {
  const ward = generateWard({
    seed: options.seed,
    patients: options.patients,
    days: options.days,
    ward: { id: wardId, name: `Ward ${wardId}` },
    now: NOW,
  });
  await importResources(db, ward.resources, new Date());
  return ward;
}

export class MemoryAuditSink implements SyncAuditSink {
  readonly events: SyncAuditEvent[] = [];
  /** Called before an event is kept (a test looks at the vault then, or throws: a failed audit write). */
  onRecord: ((event: SyncAuditEvent) => void) | null = null;
  record(event: SyncAuditEvent): void {
    this.onRecord?.(event);
    this.events.push(event);
  }
}

/** A pino logger writing into memory; `text()` is everything logged. */
export function memoryLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { logger, text: () => lines.join('') };
}

export interface TestWorkstation {
  readonly dataDir: string;
  readonly custodian: KeyCustodian;
  readonly logger: Logger;
  readonly logText: () => string;
  readonly audit: MemoryAuditSink;
  openVault(): Promise<Vault>;
  /** `pageReaderModule`: the page reader thread's module (a test's that fails). */
  engine(vault: Vault, policy?: Partial<SyncPolicy>, options?: { pageReaderModule?: URL }): SyncEngine;
  remove(): Promise<void>;
}

/** Test policy: short timeouts and backoff so fault tests finish quickly. */
export const FAST_POLICY: Partial<SyncPolicy> = {
  connectTimeoutMs: 2_000,
  idleTimeoutMs: 2_000,
  requestTimeoutMs: 20_000,
  retries: 6,
  retryBaseMs: 20,
  retryMaxMs: 200,
};

/** Enrolls a new workstation for `ward` at `hubUrl` (default the hub itself) with `pin`. */
export async function enrollTestWorkstation(
  hub: TestHub,
  ward: string,
  options: { hubUrl?: string; pin?: string } = {},
): Promise<TestWorkstation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wardline-sync-'));
  const custodian = createKeytarCustodian();
  const { logger, text } = memoryLogger();
  const audit = new MemoryAuditSink();
  await enrollWorkstation({
    dataDir,
    custodian,
    logger,
    audit,
    hubUrl: options.hubUrl ?? hub.url,
    pin: options.pin ?? hub.pin,
    enrollmentToken: await createEnrollmentToken(hub.db, { ward }),
  });
  return {
    dataDir,
    custodian,
    logger,
    logText: text,
    audit,
    openVault: () => openVault({ dataDir, custodian, logger }),
    engine: (vault, policy, options = {}) =>
      createSyncEngine({ vault, dataDir, custodian, logger, audit, policy: { ...FAST_POLICY, ...policy }, ...options }),
    async remove() {
      await wipeVault({ dataDir, custodian }).catch(() => undefined);
      await custodian.destroy(keyNameFor(dataDir, 'device')).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** "Type/id" → versionId of everything the hub holds for `ward` now: its in-patients' resources, its Locations, all Practitioners. */
export async function hubWardContents(db: SqlDatabase, ward: string): Promise<Map<string, string>> {
  const wardRef = `Location/ward-${ward}`;
  const rows = await db.query<{ res_type: string; res_id: string; version: number }>(
    `SELECT r.res_type, r.res_id, r.version FROM fhir_resources r WHERE r.deleted = 0 AND r.res_type NOT IN ('Location') AND (r.res_type = 'Practitioner' OR r.patient_id IN (
       SELECT e.patient_id FROM fhir_tokens wt JOIN fhir_resources e ON e.res_type = wt.res_type AND e.res_id = wt.res_id
       WHERE wt.param = 'location' AND wt.value = $1 AND wt.res_type = 'Encounter' AND e.status = 'in-progress' AND e.deleted = 0))`,
    [wardRef],
  );
  const contents = new Map(rows.map((row) => [`${row.res_type}/${row.res_id}`, String(row.version)]));
  const locations = await db.query<{ res_id: string; version: number; content: string }>(
    `SELECT res_id, version, CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = 'Location' AND deleted = 0`,
  );
  const byId = new Map(locations.map((row) => [row.res_id, JSON.parse(row.content) as Resource]));
  for (const row of locations) {
    let current: string | undefined = row.res_id;
    for (let depth = 0; current !== undefined && depth < 6; depth += 1) {
      if (current === `ward-${ward}`) {
        contents.set(`Location/${row.res_id}`, String(row.version));
        break;
      }
      const location = byId.get(current);
      current = location?.resourceType === 'Location' ? referenceId(location.partOf?.reference, 'Location') : undefined;
    }
  }
  return contents;
}

/** Differences between the vault and `expected` (empty when they hold exactly the same versions). */
export function vaultDifferences(vault: Vault, expected: Map<string, string>): string[] {
  const differences: string[] = [];
  const perType = new Map<string, number>();
  for (const [key, version] of expected) {
    const [type, id] = key.split('/') as [string, string];
    perType.set(type, (perType.get(type) ?? 0) + 1);
    const stored = vault.resources.versionOf(type as never, id);
    if (stored === null) differences.push(`missing ${key}`);
    else if (stored.versionId !== version) differences.push(`${key}: vault v${stored.versionId}, hub v${version}`);
  }
  const types = new Set([
    ...perType.keys(),
    'Patient',
    'Encounter',
    'Observation',
    'Location',
    'Practitioner',
    'MedicationAdministration',
    'DocumentReference',
    'Provenance',
  ]);
  for (const type of types) {
    const count = vault.resources.count(type as never);
    if (count !== (perType.get(type) ?? 0)) differences.push(`${type}: vault holds ${count}, hub ${perType.get(type) ?? 0}`);
  }
  return differences;
}

/** How many resources of `type` on the hub carry the client identifier `value`. */
export async function hubCopiesOf(db: SqlDatabase, type: string, system: string, value: string): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM fhir_tokens t JOIN fhir_resources r ON r.res_type = t.res_type AND r.res_id = t.res_id
     WHERE t.res_type = $1 AND t.param = 'identifier' AND t.system = $2 AND t.value = $3 AND r.deleted = 0`,
    [type, system, value],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * A nurse of `ward` on the hub (her account made a day ago), as documentation names her: the hub
 * takes documentation from a workstation only in the name of a user of its ward whose role may
 * record it.
 */
export async function addWardNurse(db: SqlDatabase, ward: string, username = 'test.nurse'): Promise<DocumentationAuthor> {
  const { userId } = await addUser(
    db,
    { username, password: 'correct horse battery', role: 'nurse', wards: [ward], mfa: false },
    new Date(Date.now() - 86_400_000),
  );
  return { reference: `Practitioner/${userId}`, display: username };
}
