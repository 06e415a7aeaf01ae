// The registry of the vault's schema migrations, in order. A new migration is a new numbered file
// appended here; the schema version is PRAGMA user_version.
import { resourcesMigration } from './0001-resources.js';
import { vaultMetaMigration } from './0002-vault-meta.js';
import { sessionCredentialsMigration } from './0003-session-credentials.js';
import { syncStateMigration } from './0004-sync-state.js';
import { offlineTotpMigration } from './0005-offline-totp.js';
import { conflictChartRestrictionMigration } from './0006-conflict-chart-restriction.js';
import { offlineTotpLastStepMigration } from './0007-offline-totp-last-step.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [
  resourcesMigration,
  vaultMetaMigration,
  sessionCredentialsMigration,
  syncStateMigration,
  offlineTotpMigration,
  conflictChartRestrictionMigration,
  offlineTotpLastStepMigration,
];

export const LATEST_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;
