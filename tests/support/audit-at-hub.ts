// What a hub holds of one workstation's audit trail: how many events, under how many distinct
// sequences, and its verdict on the chain (gaps, broken links, reused sequences).
import { auditChainStatus, type AuditChainStatus } from '../../server/audit-ingest/index.js';
import { openAuditLog, type ChainHead } from '../../electron/audit/index.js';
import type { KeyCustodian } from '../../electron/vault/index.js';
import type { TestHub } from './hub-harness.js';

export interface HubAuditHolding {
  readonly events: number;
  readonly sequences: number;
  readonly chain: AuditChainStatus;
}

export async function auditHeldByHub(hub: TestHub, deviceId: string): Promise<HubAuditHolding> {
  const rows = await hub.db.query<{ n: unknown; d: unknown }>(
    'SELECT COUNT(*) AS n, COUNT(DISTINCT sequence) AS d FROM audit_events WHERE device_id = $1',
    [deviceId],
  );
  return { events: Number(rows[0]?.n), sequences: Number(rows[0]?.d), chain: await auditChainStatus(hub.db, deviceId) };
}

/** The workstation's chain head and the hub's id for it, read from its audit trail (closed again at once). */
export async function workstationAuditHead(
  dataDir: string,
  custodian: KeyCustodian,
): Promise<{ head: ChainHead; deviceId: string | null; pending: number }> {
  const log = await openAuditLog({ dataDir, custodian, create: false });
  try {
    return { head: log.head(), deviceId: log.queue.hubDeviceId(), pending: log.queue.pendingCount() };
  } finally {
    log.close();
  }
}
