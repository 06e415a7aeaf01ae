// The shared engine: PostgreSQL through a `pg` pool. Transactions are SERIALIZABLE and retried on a
// serialization failure or deadlock (40001/40P01), so every hub process sharing the database sees
// one consistent order of writes. `work` may therefore run more than once: keep it free of side
// effects outside the database.
import pg from 'pg';
import type { PoolClient } from 'pg';
import { SecretEnvelope } from './secret-envelope.js';
import type { SqlDatabase, TransactionOptions } from './sql-database.js';
import { StorageError } from './storage-error.js';

export interface PostgresOptions {
  /** Pool size. Default 10. */
  readonly maxConnections?: number;
  /** How many times a transaction is retried after a serialization failure. Default 30. */
  readonly maxRetries?: number;
  /** Seals and opens the protected secrets (signing keys, TOTP secrets). Default: none (every use fails). */
  readonly secrets?: SecretEnvelope;
}

const RETRYABLE = new Set(['40001', '40P01']);

/** True when PostgreSQL refused a transaction only because a concurrent one won; a retry may pass. */
export function isSerializationFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && RETRYABLE.has(String((error as { code?: unknown }).code));
}

/** Runs `attempt` until it does not fail with a serialization failure (bounded, with jittered backoff). */
export async function withSerializableRetry<T>(attempt: () => Promise<T>, maxRetries = 30): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isSerializationFailure(error)) throw error;
      if (tries >= maxRetries) {
        throw new StorageError(
          'TRANSACTION_CONFLICT',
          'The hub database stayed too busy to complete a change; the client may retry the request.',
          { cause: error },
        );
      }
      const backoff = Math.min(200, 2 ** Math.min(tries, 7)) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}

function prepare(params: readonly unknown[] | undefined): unknown[] {
  return (params ?? []).map((value) => (typeof value === 'bigint' ? value.toString() : value === undefined ? null : value));
}

const types = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    // int8 (COUNT(*), BIGINT columns) as numbers, as the SQLite engine returns them.
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
  },
};

class PostgresTransaction implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  private open = true;
  private savepoints = 0;

  constructor(
    private readonly client: PoolClient,
    readonly secrets: SecretEnvelope,
  ) {}

  private check(): void {
    if (!this.open) {
      throw new StorageError('TRANSACTION_FINISHED', 'A database statement was issued after its transaction ended; this is a hub defect.');
    }
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    this.check();
    return (await this.client.query(sql, prepare(params))).rows as Row[];
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<{ changes: number }> {
    this.check();
    return { changes: (await this.client.query(sql, prepare(params))).rowCount ?? 0 };
  }

  async transaction<T>(work: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    this.check();
    const name = `sp_${++this.savepoints}`;
    await this.client.query(`SAVEPOINT ${name}`);
    try {
      const result = await work(this);
      await this.client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await this.client.query(`RELEASE SAVEPOINT ${name}`);
      throw error;
    }
  }

  finish(): void {
    this.open = false;
  }

  async close(): Promise<void> {
    throw new StorageError('TRANSACTION_FINISHED', 'A transaction handle cannot close the database; this is a hub defect.');
  }
}

class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;

  constructor(
    private readonly pool: pg.Pool,
    private readonly maxRetries: number,
    readonly secrets: SecretEnvelope,
  ) {}

  async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    return (await this.pool.query(sql, prepare(params))).rows as Row[];
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<{ changes: number }> {
    return { changes: (await this.pool.query(sql, prepare(params))).rowCount ?? 0 };
  }

  transaction<T>(work: (tx: SqlDatabase) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return withSerializableRetry(async () => {
      const client = await this.pool.connect();
      const tx = new PostgresTransaction(client, this.secrets);
      let broken = false;
      try {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        if (options.durable) await client.query('SET LOCAL synchronous_commit TO on');
        const result = await work(tx);
        tx.finish();
        await client.query('COMMIT');
        return result;
      } catch (error) {
        tx.finish();
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    }, this.maxRetries);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Connects to PostgreSQL at `url` (checked with one round trip, so a wrong URL fails here). */
export async function openPostgresDatabase(url: string, options: PostgresOptions = {}): Promise<SqlDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  try {
    await pool.query('SELECT 1');
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw new StorageError(
      'DATABASE_UNAVAILABLE',
      'The hub could not connect to PostgreSQL. Check the --postgres URL, that the server is running, and the credentials.',
      { cause },
    );
  }
  return new PostgresDatabase(pool, options.maxRetries ?? 30, options.secrets ?? SecretEnvelope.none());
}
