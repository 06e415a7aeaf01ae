// The resource store's migrations, in order; the hub's migration runner applies each once.
import type { HubMigration } from '../../storage/index.js';
import { resourceTables } from './migrations/0001-resources.js';
import { careEndMigration } from './migrations/0002-care-end.js';
import { accessMigration } from './migrations/0003-access.js';
import { clinicalSearchMigration } from './migrations/0004-clinical-search.js';
import { patientNameWordsMigration } from './migrations/0005-patient-name-words.js';
import { wardFollowedMigration } from './migrations/0006-ward-followed.js';
import { contentOnceMigration } from './migrations/0007-content-once.js';
import { tokenVersionMigration } from './migrations/0008-token-version.js';
import { versionRowidMigration } from './migrations/0009-version-rowid.js';
import { accessBasisMigration } from './migrations/0010-access-basis.js';
import { lateUploadsMigration } from './migrations/0011-late-uploads.js';

export const resourceStoreMigrations: readonly HubMigration[] = [
  resourceTables,
  careEndMigration,
  accessMigration,
  clinicalSearchMigration,
  patientNameWordsMigration,
  wardFollowedMigration,
  contentOnceMigration,
  tokenVersionMigration,
  versionRowidMigration,
  accessBasisMigration,
  lateUploadsMigration,
];
