// The history of each staff account's standing: from when it held which role, which wards and
// whether it was disabled. Documentation uploaded later (downtime) is judged against the account
// as it stood when the documentation was recorded. Existing accounts start with their current
// standing, from their creation time.
import type { HubMigration, SqlDatabase } from '../../storage/index.js';

export const accountHistoryMigration: HubMigration = {
  id: 'identity-0002-account-history',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute(`CREATE TABLE identity_account_history (
       user_id TEXT NOT NULL,
       at BIGINT NOT NULL,
       seq BIGINT NOT NULL,
       role TEXT NOT NULL,
       wards TEXT NOT NULL,
       disabled INTEGER NOT NULL,
       PRIMARY KEY (user_id, at, seq)
     )`);
    const users = await db.query<{ user_id: string; role: string; disabled: unknown; created_at: unknown }>(
      'SELECT user_id, role, disabled, created_at FROM identity_users',
    );
    for (const user of users) {
      const wards = await db.query<{ ward: string }>('SELECT ward FROM identity_user_wards WHERE user_id = $1 ORDER BY ward', [
        user.user_id,
      ]);
      await db.execute('INSERT INTO identity_account_history (user_id, at, seq, role, wards, disabled) VALUES ($1, $2, 0, $3, $4, $5)', [
        user.user_id,
        Number(user.created_at),
        user.role,
        JSON.stringify(wards.map((w) => w.ward)),
        Number(user.disabled) ? 1 : 0,
      ]);
    }
  },
};
