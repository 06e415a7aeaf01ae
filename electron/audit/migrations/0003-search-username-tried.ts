// Audit schema 3: the username a failed sign-in tried, normalised as sign-in normalises it, in its
// own search column with its own index, so the audit view's username filter finds those entries by
// the index instead of reading every entry's body (json_extract over the whole trail). Entries
// already indexed get theirs from their bodies here; later ones as the search table catches up.
import type { Migration } from '../../vault/index.js';
import { searchUsernameTried } from '../search-username.js';

export const searchUsernameTriedMigration: Migration = {
  version: 3,
  name: 'search-username-tried',
  up(db) {
    db.exec(`
      ALTER TABLE audit_search ADD COLUMN username_tried TEXT;
      CREATE INDEX audit_search_by_username_tried ON audit_search (username_tried, sequence) WHERE username_tried IS NOT NULL;
    `);
    const failed = db.prepare<[], { sequence: number; body: string }>(
      `SELECT s.sequence, e.body FROM audit_search s JOIN audit_entries e ON e.sequence = s.sequence WHERE s.action = 'sign-in-failed'`,
    );
    const set = db.prepare<[string | null, number]>('UPDATE audit_search SET username_tried = ? WHERE sequence = ?');
    for (const row of failed.all())
      set.run(searchUsernameTried(JSON.parse(row.body) as { action: string; detail?: unknown }), row.sequence);
  },
};
