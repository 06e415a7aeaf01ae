// The identity room's migrations, in order; the hub's migration runner applies each once.
import type { HubMigration } from '../storage/index.js';
import { identityTables } from './migrations/0001-identity.js';
import { accountHistoryMigration } from './migrations/0002-account-history.js';
import { signingKeyRetirement } from './migrations/0003-signing-key-retirement.js';
import { signInLogMigration } from './migrations/0004-sign-in-log.js';
import { deviceContactMigration } from './migrations/0005-device-contact.js';

export const identityMigrations: readonly HubMigration[] = [
  identityTables,
  accountHistoryMigration,
  signingKeyRetirement,
  signInLogMigration,
  deviceContactMigration,
];
