// The hub's record of sign-ins is not kept for ever: while the hub runs, rows older than the
// retention period (`--sign-in-retention-days`) are deleted on a schedule, on both storage engines,
// and newer ones stay for the privacy officer.
import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from '../../server/identity/index.js';
import { hubCli } from '../support/hub-cli.js';
import { startHub, type HubEngine, type TestHub } from '../support/hub-harness.js';
import { seedWard } from '../support/hub-fixtures.js';

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;

describe.each<HubEngine>(['sqlite', 'postgres'])('sign-in records past their retention on %s', (engine) => {
  let hub: TestHub | undefined;

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
    for (const [id, age] of [
      ['expired', 31 * DAY],
      ['long-expired', 400 * DAY],
      ['kept', 29 * DAY],
    ] as const) {
      await hub.db.execute(
        'INSERT INTO identity_sign_ins (id, at, device_id, user_id, username_tried, succeeded, code) VALUES ($1, $2, $3, NULL, $4, 0, $5)',
        [id, now - age, device.clientId, 'somebody', 'INVALID_CREDENTIALS'],
      );
    }
    const ids = async (): Promise<string[]> =>
      (await hub!.db.query<{ id: string }>('SELECT id FROM identity_sign_ins ORDER BY at')).map((row) => row.id);
    await expect.poll(ids, { timeout: 60_000, interval: 100 }).not.toContain('expired');
    const left = await ids();
    expect(left).not.toContain('long-expired');
    expect(left).toContain('kept');
    expect(left).toHaveLength(2); // 'kept' and the nurse's sign-in just now
    expect(hub.logs()).toMatch(/"event":"sign-ins-purged"/);
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
