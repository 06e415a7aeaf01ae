// The shape of one schema migration. Each lives in its own numbered file and is never edited
// after it lands; a change to the schema is a new migration.
import type { Db } from '../sqlcipher-connection.js';

export interface Migration {
  /** The schema version this migration produces (PRAGMA user_version after it ran). */
  readonly version: number;
  /** A short name for logs and errors, e.g. "resources". */
  readonly name: string;
  /** Runs inside a transaction together with the user_version bump. */
  up(db: Db): void;
}
