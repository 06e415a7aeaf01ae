// The identity room's protected secrets at rest: TOTP secrets and token-signing private keys, each
// envelope-encrypted under the hub's key-encryption key (db.secrets). Two jobs over all of them:
// sealing values an earlier version stored in the clear (at every start), and re-wrapping their
// data keys under a new KEK (wardline-hub rotate-keys).
import { SecretEnvelope, type SqlDatabase } from '../storage/index.js';
import { signingKeyContext } from './hub-token-keys.js';
import { totpContext } from './users.js';

interface ProtectedColumn {
  readonly table: string;
  readonly idColumn: string;
  readonly column: string;
  readonly context: (id: string) => string;
}

const PROTECTED: readonly ProtectedColumn[] = [
  { table: 'identity_users', idColumn: 'user_id', column: 'totp_secret', context: totpContext },
  { table: 'identity_signing_keys', idColumn: 'kid', column: 'private_jwk', context: signingKeyContext },
];

async function rewriteEach(
  db: SqlDatabase,
  rewrite: (value: string, column: ProtectedColumn, id: string) => string | null,
): Promise<number> {
  return db.transaction(async (tx) => {
    let changed = 0;
    for (const column of PROTECTED) {
      const rows = await tx.query<{ id: string; value: string | null }>(
        `SELECT ${column.idColumn} AS id, ${column.column} AS value FROM ${column.table}`,
      );
      for (const row of rows) {
        if (row.value === null || row.value === '') continue;
        const next = rewrite(row.value, column, row.id);
        if (next === null) continue;
        await tx.execute(`UPDATE ${column.table} SET ${column.column} = $1 WHERE ${column.idColumn} = $2`, [next, row.id]);
        changed += 1;
      }
    }
    return changed;
  });
}

/** Seals every protected value still stored in the clear; returns how many it sealed. */
export async function sealLegacySecrets(db: SqlDatabase): Promise<number> {
  return rewriteEach(db, (value, column, id) => (SecretEnvelope.isSealed(value) ? null : db.secrets.seal(value, column.context(id))));
}

/** Re-wraps every protected value not yet under the current KEK; returns how many it re-wrapped. */
export async function rewrapProtectedSecrets(db: SqlDatabase): Promise<number> {
  return rewriteEach(db, (value, column, id) => {
    if (!SecretEnvelope.isSealed(value)) return db.secrets.seal(value, column.context(id));
    return db.secrets.needsRewrap(value) ? db.secrets.rewrap(value) : null;
  });
}
