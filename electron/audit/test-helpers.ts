// Test support for the audit room (and cross-room audit tests): throwaway data directories with
// the real OS keystore, and the "raw handle" an attacker holding the key would have: the audit
// database opened directly, append-only triggers dropped, so tests can edit, delete, reorder and
// insert entries behind the log's back.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKeytarCustodian, keyNameFor, openEncryptedDatabase, type EncryptedConnection, type KeyCustodian } from '../vault/index.js';
import { entryHash } from './audit-entry.js';
import { AUDIT_FILE_NAME } from './audit-files.js';
import { canonicalJson } from '../../shared/json/index.js';
import { AUDIT_MIGRATIONS } from './migrations/index.js';
import { searchUsernameTried } from './search-username.js';

export interface AuditTestDir {
  readonly dir: string;
  readonly custodian: KeyCustodian;
  /** Destroys the keys made for this directory and deletes it. */
  remove(): Promise<void>;
}

export function temporaryAuditDir(label = 'audit'): AuditTestDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), `wardline-${label}-`));
  const custodian = createKeytarCustodian();
  return {
    dir,
    custodian,
    async remove() {
      for (const purpose of ['audit', 'vault'] as const) {
        const name = keyNameFor(dir, purpose);
        await custodian.destroy(name).catch(() => undefined);
        await custodian.destroy(`${name}.next`).catch(() => undefined);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The audit database opened with its key, append-only triggers removed: what an attacker with the key has. */
export async function rawAuditHandle(dir: string, custodian: KeyCustodian): Promise<EncryptedConnection> {
  const db = await auditDatabaseHandle(dir, custodian);
  db.exec('DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete;');
  return db;
}

/** A second connection to the audit database, its rules kept (e.g. for a test to make one write fail as a full disk would). */
export async function auditDatabaseHandle(dir: string, custodian: KeyCustodian): Promise<EncryptedConnection> {
  const { db } = await openEncryptedDatabase({
    dataDir: dir,
    fileName: AUDIT_FILE_NAME,
    purpose: 'audit',
    custodian,
    migrations: AUDIT_MIGRATIONS,
    create: false,
  });
  return db;
}

/** Rewrites one stored body (as an attacker would), and its search row; optionally re-hashing that entry so it is self-consistent. */
export function tamperBody(
  db: EncryptedConnection,
  sequence: number,
  change: (body: Record<string, unknown>) => void,
  options: { rehash: boolean },
): void {
  const row = db
    .prepare<[number], { body: string; previous_hash: string }>('SELECT body, previous_hash FROM audit_entries WHERE sequence = ?')
    .get(sequence);
  if (row === undefined) throw new Error(`no entry ${sequence}`);
  const body = JSON.parse(row.body) as Record<string, unknown>;
  change(body);
  const json = canonicalJson(body);
  const hash = options.rehash ? entryHash(row.previous_hash, json) : null;
  db.prepare('UPDATE audit_entries SET body = ?, hash = COALESCE(?, hash) WHERE sequence = ?').run(json, hash, sequence);
  db.prepare('UPDATE audit_search SET patient_id = ?, user_id = ?, username_tried = ? WHERE sequence = ?').run(
    (body.patient as string | null) ?? null,
    (body.user as string | null) ?? null,
    searchUsernameTried(body as { action: string; detail?: unknown }),
    sequence,
  );
}
