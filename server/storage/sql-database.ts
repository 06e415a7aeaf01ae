// The one SQL seam of the hub: both engines (SQLite embedded, PostgreSQL) implement it, and every
// hub store (resources, identity, audit) writes portable SQL against it.
import type { SecretEnvelope } from './secret-envelope.js';

export type SqlDialect = 'sqlite' | 'postgres';

export interface TransactionOptions {
  /**
   * The commit must survive a power loss before `transaction` resolves (the caller acknowledges it
   * to a sender, e.g. an HL7 ACK): SQLite syncs the write-ahead log at this commit (synchronous =
   * FULL; the hub's other commits use NORMAL, safe against a hub crash), PostgreSQL commits with
   * synchronous_commit on whatever the server's default. Ignored by a nested transaction.
   */
  readonly durable?: boolean;
}

export interface SqlDatabase {
  readonly dialect: SqlDialect;
  /** Seals and opens the protected secrets stored in this database (signing keys, TOTP secrets). */
  readonly secrets: SecretEnvelope;
  /**
   * Rows of a statement. Placeholders are written `$1`, `$2`, … in both dialects (the SQLite
   * engine translates them). Values: string, number, bigint, null, Buffer.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a statement that returns no rows; `changes` is the number of rows it touched. */
  execute(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
  /**
   * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when
   * it throws. Serializable isolation on PostgreSQL (the engine retries `work` on a serialization
   * failure or deadlock, so `work` must be safe to run again), `BEGIN IMMEDIATE` on SQLite.
   */
  transaction<T>(work: (tx: SqlDatabase) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}
