// The integration principals: each ADT feed the hub accepts, bound to one sending application and
// facility (MSH-3, MSH-4), with a random secret it sends in MSH-8 (over TLS). The hub keeps only the
// secret's SHA-256 (the secret is 256 random bits, so a fast hash is enough); a revoked feed is
// refused at once. Workstations hold device keys and user accounts, never a feed secret.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SqlDatabase } from '../../storage/index.js';
import { AdtError } from './adt-error.js';
import type { AdtHeader } from './adt-message.js';

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const SENDER = /^[A-Za-z0-9.\-_ ]{1,64}$/;

export interface FeedAccount {
  readonly name: string;
  readonly application: string;
  readonly facility: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

function hashOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Registers a feed; returns its secret (shown once, never stored). */
export async function addFeed(
  db: SqlDatabase,
  feed: { name: string; application: string; facility: string },
  now: Date,
): Promise<{ secret: string }> {
  if (!NAME.test(feed.name)) throw new AdtError('BAD_VALUE', 'A feed name is 1 to 40 lowercase letters, digits or dashes.');
  if (!SENDER.test(feed.application) || !SENDER.test(feed.facility)) {
    throw new AdtError(
      'BAD_VALUE',
      'The sending application and facility are what the feed puts in MSH-3 and MSH-4 (letters, digits, . - _ and spaces).',
    );
  }
  const secret = randomBytes(32).toString('base64url');
  const inserted = await db.execute(
    `INSERT INTO adt_feeds (name, application, facility, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING`,
    [feed.name, feed.application, feed.facility, hashOf(secret).toString('hex'), now.toISOString()],
  );
  if (inserted.changes === 0) throw new AdtError('CONFLICT', `A feed named ${feed.name} exists already; revoke it or choose another name.`);
  return { secret };
}

/** Revokes a feed; its next message is refused. Returns false when no such live feed exists. */
export async function revokeFeed(db: SqlDatabase, name: string, now: Date): Promise<boolean> {
  const result = await db.execute('UPDATE adt_feeds SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL', [now.toISOString(), name]);
  return result.changes > 0;
}

export async function listFeeds(db: SqlDatabase): Promise<FeedAccount[]> {
  const rows = await db.query<{ name: string; application: string; facility: string; created_at: string; revoked_at: string | null }>(
    'SELECT name, application, facility, created_at, revoked_at FROM adt_feeds ORDER BY name',
  );
  return rows.map((row) => ({
    name: row.name,
    application: row.application,
    facility: row.facility,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }));
}

/** The feed a message comes from, by its sender and MSH-8 secret; NOT_AUTHORIZED otherwise. */
export async function authenticateFeed(db: SqlDatabase, header: AdtHeader): Promise<string> {
  const refused = new AdtError(
    'NOT_AUTHORIZED',
    'This sender is not an ADT feed of this hub, or its secret (MSH-8) is wrong or revoked; nothing was applied. Ask IT for wardline-hub feed add.',
    'MSH-8',
  );
  if (!header.security) throw refused;
  const rows = await db.query<{ name: string; secret_hash: string }>(
    'SELECT name, secret_hash FROM adt_feeds WHERE application = $1 AND facility = $2 AND revoked_at IS NULL',
    [header.application, header.facility],
  );
  const offered = hashOf(header.security);
  for (const row of rows) {
    if (timingSafeEqual(offered, Buffer.from(row.secret_hash, 'hex'))) return row.name;
  }
  throw refused;
}
