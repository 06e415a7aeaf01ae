// What `wardline wipe` needs to send the audit trail (its own entry included) once the vault is gone:
// before anything is destroyed, the vault is opened once to build the sync engine's link to the
// hub (hub address, pin, device id) and the device key is read from the keystore; both stay in
// memory only, and the vault is closed again. Without an enrollment, or without a readable device
// key, there is no link and the caller says why.
import type { AuditLog, AuditUploadReport } from '../../audit/index.js';
import { auditUploaderFor } from '../../host/index.js';
import { createSyncEngine, isSyncError, logAuditSink, type SyncEngine } from '../../sync/index.js';
import { openVault, vaultExists } from '../../vault/index.js';
import type { Workstation } from './workstation.js';

export interface WipeHubLink {
  /** Sends every audit entry the hub has not acknowledged, then the signed chain head. Rejects when the hub cannot be reached. */
  upload(log: AuditLog): Promise<AuditUploadReport>;
  /** Drops the connection (and with it the key held in memory). */
  close(): Promise<void>;
}

/** Why there is no link: no vault, not enrolled, the device key missing or unreadable, the vault unreadable. */
export type NoHubLink = 'no-vault' | 'not-enrolled' | 'device-key-missing' | 'vault-unreadable';

export async function holdHubLinkForWipe(workstation: Workstation): Promise<WipeHubLink | NoHubLink> {
  const { dataDir, custodian, logger } = workstation;
  if (!vaultExists(dataDir)) return 'no-vault';
  let engine: SyncEngine;
  try {
    const vault = await openVault({ dataDir, custodian, logger });
    try {
      if (vault.sync.enrollment() === null) return 'not-enrolled';
      // The engine reads the enrollment now; the audit link never touches the vault again.
      engine = createSyncEngine({ vault, dataDir, custodian, logger, audit: logAuditSink(logger) });
    } finally {
      vault.close();
    }
  } catch (error) {
    logger.warn({ event: 'vault.wipe_link_failed', code: (error as { code?: unknown }).code ?? null }, 'no hub link for the wipe');
    return 'vault-unreadable';
  }
  try {
    await engine.auditLink().deviceKey();
  } catch (error) {
    await engine.close();
    if (isSyncError(error)) return 'device-key-missing';
    throw error;
  }
  return {
    upload: (log) => auditUploaderFor(log, engine, logger).upload(),
    close: () => engine.close(),
  };
}
