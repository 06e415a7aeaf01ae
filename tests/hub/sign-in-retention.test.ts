// The hub's record of sign-ins is not kept for ever: while the hub runs, rows older than the
// retention period (`--sign-in-retention-days`) are deleted on a schedule, on both storage engines,
// and newer ones stay for the privacy officer.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/identity/index.js';
import { hubCli } from '../support/hub-cli.js';
import { startHub, testPostgres, type HubEngine, type TestHub } from '../support/hub-harness.js';
import { seedWard } from '../support/hub-fixtures.js';

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;

describe.each<HubEngine>(['sqlite', 'postgres'])('sign-in records past their retention on %s', (engine) => {
  let hub: TestHub | undefined;

  // The file's PostgreSQL server starts in a hook, not in the test's own time: on a busy machine its
  // start took 20 s of the test's 60.
  beforeAll(async () => {
    if (engine === 'postgres') await testPostgres();
  });

  afterEach(async () => {
    await hub?.stop();
    hub = undefined;
  });

  it('deletes sign-ins older than the retention period while the hub runs, and keeps the newer ones', async () => {
    hub = await startHub({ engine, signIns: { retentionDays: 30, purgeEveryMs: 100 } });
    await seedWard(hub.db, 'a');
    await addUser(hub.db, { username: 'nurse.a', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false }, new Date(Date.now() - DAY));
    const device = await hub.enrollDevice('a');
    await device.signedIn('nurse.a', PASSWORD);
    const now = Date.now();
    const rows = [
      ['expired', 31 * DAY],
      ['long-expired', 400 * DAY],
      ['kept', 29 * DAY],
    ] as const;
    // One statement, so each purge sees all three rows or none: with one insert each, a purge between
    // two of them deleted 'expired' before 'long-expired' existed, and the check below could run
    // before the next purge.
    await hub.db.execute(
      `INSERT INTO identity_sign_ins (id, at, device_id, user_id, username_tried, succeeded, code) VALUES ${rows
        .map((_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, NULL, $${i * 5 + 4}, 0, $${i * 5 + 5})`)
        .join(', ')}`,
      rows.flatMap(([id, age]) => [id, now - age, device.clientId, 'somebody', 'INVALID_CREDENTIALS']),
    );
    const ids = async (): Promise<string[]> =>
      (await hub!.db.query<{ id: string }>('SELECT id FROM identity_sign_ins ORDER BY at')).map((row) => row.id);
    await expect.poll(ids, { timeout: 60_000, interval: 100 }).not.toContain('expired');
    const left = await ids();
    expect(left).not.toContain('long-expired');
    expect(left).toContain('kept');
    expect(left).toHaveLength(2); // 'kept' and the nurse's sign-in just now
    // The purge logs once its DELETE has answered; on PostgreSQL the poll's own query, on another
    // connection, can see the rows gone a moment before that.
    await expect.poll(() => hub!.logs()).toMatch(/"event":"sign-ins-purged"/);
  });
});

describe('wardline-hub serve --sign-in-retention-days', () => {
  it('refuses a retention of no days or more than ten years, in one line, before opening anything', async () => {
    for (const days of ['0', '3651', 'forever']) {
      const { code, err } = await hubCli(['serve', '--dev-tls', '--sign-in-retention-days', days, '--data', '/nonexistent/wardline']);
      expect(code, days).toBe(2);
      expect(err.trim().split('\n'), err).toHaveLength(1);
      expect(err).toMatch(/--sign-in-retention-days takes/);
    }
  });
});
