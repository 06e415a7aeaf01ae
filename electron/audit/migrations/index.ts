// The audit log's schema migrations, in order (its own user_version, independent of the vault's).
// A change is a new numbered file appended here; a landed migration is never edited.
import type { Migration } from '../../vault/index.js';
import { auditLogMigration } from './0001-audit-log.js';
import { pruneAcknowledgedMigration } from './0002-prune-acknowledged.js';
import { searchUsernameTriedMigration } from './0003-search-username-tried.js';

export const AUDIT_MIGRATIONS: readonly Migration[] = [auditLogMigration, pruneAcknowledgedMigration, searchUsernameTriedMigration];
