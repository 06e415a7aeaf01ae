// The demo ward: `demo` with N synthetic in-patients from the seeded generator (fixed seed, history
// ending at the current hour), loaded once. A hub that already holds the demo ward is left as is.
import { generateWard } from '../../shared/synthetic/index.js';
import { importResources } from '../fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';

export const DEMO_WARD = { id: 'demo', name: 'Demo Ward' } as const;
export const DEMO_SEED = 'wardline-hub-demo';
export const DEMO_HISTORY_DAYS = 30;

export interface DemoSeedResult {
  /** False when the ward was there already (nothing written). */
  readonly seeded: boolean;
  readonly patients: number;
  readonly resources: number;
}

/** `now` rounded down to the hour, as an ISO instant. */
export function demoHour(now: Date): string {
  const hour = new Date(now.getTime());
  hour.setUTCMinutes(0, 0, 0);
  return hour.toISOString();
}

export async function seedDemoWard(db: SqlDatabase, patients: number, now: Date): Promise<DemoSeedResult> {
  const existing = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM fhir_resources WHERE res_type = 'Location' AND res_id = $1`, [
    `ward-${DEMO_WARD.id}`,
  ]);
  if (Number(existing[0]?.n ?? 0) > 0) {
    const census = await db.query<{ n: number }>(
      `SELECT COUNT(DISTINCT r.patient_id) AS n FROM fhir_tokens t JOIN fhir_resources r ON r.res_type = t.res_type AND r.res_id = t.res_id
       WHERE t.res_type = 'Encounter' AND t.param = 'location' AND t.value = $1 AND r.status = 'in-progress' AND r.deleted = 0`,
      [`Location/ward-${DEMO_WARD.id}`],
    );
    return { seeded: false, patients: Number(census[0]?.n ?? 0), resources: 0 };
  }
  const ward = generateWard({ seed: DEMO_SEED, patients, days: DEMO_HISTORY_DAYS, ward: { ...DEMO_WARD }, now: demoHour(now) });
  const written = await importResources(db, ward.resources, now);
  // The bulk load leaves a write-ahead log as large as the data; fold it into the database file.
  if (db.dialect === 'sqlite') await db.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  return { seeded: true, patients: ward.patients.length, resources: written };
}
