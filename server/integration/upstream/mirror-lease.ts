// One leader among the hub processes given --upstream on one database: a lease row names the
// process that runs the mirror and the write-back, and until when. The leader renews it at the start
// of each cycle, inside every transaction that writes what it pulled (so a leader that lost the lease
// while it waited on the upstream commits nothing: the fence), and before each document it sends
// back. Another process takes the lease over only once it has expired; a leader that stops
// releases it, so another takes over at its next cycle.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../../storage/index.js';
import { UpstreamError } from './upstream-error.js';

export interface MirrorLease {
  /** This process's name in the lease row (host, process id, a random tail). */
  readonly holder: string;
  /** Takes the lease if it is free or expired, or renews it; true when this process holds it. */
  acquire(db: SqlDatabase): Promise<boolean>;
  /** Renews the lease this process holds, in `tx`; throws LEASE_LOST when another has taken it. */
  fence(tx: SqlDatabase): Promise<void>;
  /** Gives the lease up (when the mirror stops). */
  release(db: SqlDatabase): Promise<void>;
}

export function createMirrorLease(leaseMs: number, clock: () => Date): MirrorLease {
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  return {
    holder,
    async acquire(db) {
      const now = clock();
      const { changes } = await db.execute(
        `UPDATE upstream_lease SET holder = $1, expires_ms = $2,
           acquired_at = CASE WHEN holder = $1 THEN acquired_at ELSE $4 END
         WHERE id = 1 AND (holder = $1 OR expires_ms < $3)`,
        [holder, now.getTime() + leaseMs, now.getTime(), now.toISOString()],
      );
      return changes === 1;
    },
    async fence(tx) {
      const { changes } = await tx.execute('UPDATE upstream_lease SET expires_ms = $2 WHERE id = 1 AND holder = $1', [
        holder,
        clock().getTime() + leaseMs,
      ]);
      if (changes !== 1) {
        throw new UpstreamError('LEASE_LOST', 'Another hub process took over the upstream mirror; this one stands by.');
      }
    },
    async release(db) {
      await db.execute(`UPDATE upstream_lease SET expires_ms = 0 WHERE id = 1 AND holder = $1`, [holder]);
    },
  };
}

export interface LeaseStatus {
  readonly holder: string;
  readonly expiresAt: string;
}

/** Who holds the lease now (null when nobody does). */
export async function readLease(db: SqlDatabase, now: Date): Promise<LeaseStatus | null> {
  const rows = await db.query<{ holder: string; expires_ms: number }>('SELECT holder, expires_ms FROM upstream_lease WHERE id = 1');
  const row = rows[0];
  if (!row || row.holder === '' || Number(row.expires_ms) < now.getTime()) return null;
  return { holder: row.holder, expiresAt: new Date(Number(row.expires_ms)).toISOString() };
}
