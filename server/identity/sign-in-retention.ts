// How long the hub keeps its record of sign-ins (identity_sign_ins): rows older than the retention
// period (a hub setting, `wardline-hub serve --sign-in-retention-days`, default 365) are deleted when
// the hub starts and then every hour while it runs. The row holds the username tried at a refused
// sign-in (sometimes a mistyped password), so it is not kept for ever. The delete is idempotent: several
// hub processes sharing one PostgreSQL may all run it.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { SqlDatabase } from '../storage/index.js';

export const DEFAULT_SIGN_IN_RETENTION_DAYS = 365;
export const MAX_SIGN_IN_RETENTION_DAYS = 3650;
export const SIGN_IN_PURGE_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Deletes the sign-ins recorded more than `retentionDays` before `now`; resolves with how many. */
export async function purgeOldSignIns(db: SqlDatabase, now: Date, retentionDays: number): Promise<number> {
  const result = await db.execute('DELETE FROM identity_sign_ins WHERE at < $1', [now.getTime() - retentionDays * DAY_MS]);
  return result.changes;
}

export interface SignInRetention {
  /** Days a sign-in is kept (1–3650; default 365). */
  readonly retentionDays?: number;
  /** How often the running hub purges (default hourly). */
  readonly purgeEveryMs?: number;
}

/** Purges once the hub is ready, then on a timer until the app closes. */
export function scheduleSignInPurge(
  app: FastifyInstance,
  deps: { readonly db: SqlDatabase; readonly clock: () => Date; readonly logger: FastifyBaseLogger } & SignInRetention,
): void {
  const retentionDays = deps.retentionDays ?? DEFAULT_SIGN_IN_RETENTION_DAYS;
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > MAX_SIGN_IN_RETENTION_DAYS) {
    throw new RangeError(`The sign-in retention takes a whole number of days from 1 to ${MAX_SIGN_IN_RETENTION_DAYS}.`);
  }
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const purge = (): void => {
    running = purgeOldSignIns(deps.db, deps.clock(), retentionDays).then(
      (rows) => {
        if (rows > 0) deps.logger.info({ event: 'sign-ins-purged', rows, retentionDays }, 'old sign-in records deleted');
      },
      (error: unknown) => {
        deps.logger.warn({ event: 'sign-in-purge-failed', error: error instanceof Error ? error.name : 'unknown' }, 'sign-in purge failed');
      },
    );
  };
  app.addHook('onReady', async () => {
    purge();
    await running;
    timer = setInterval(purge, deps.purgeEveryMs ?? SIGN_IN_PURGE_EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
