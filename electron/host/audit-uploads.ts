// Audit upload in the running product: the audit room's uploader over the sync engine's link to
// the hub (`auditUploaderFor`, also used by the CLI), run by the host on its own after every
// successful sync cycle and at once when the hub is back after an outage. After each upload the
// entries the hub acknowledged that are older than the policy's retention are pruned.
import type { Logger } from 'pino';
import { AuditUploader, deviceKeySigner, type AuditLog, type AuditUploadReport } from '../audit/index.js';
import type { ConnectivityState, SyncEngine } from '../sync/index.js';

const UNREACHABLE: readonly ConnectivityState[] = ['offline', 'hub-down'];

/** An uploader of `audit` to the hub `sync` is enrolled at, as this device. */
export function auditUploaderFor(audit: AuditLog, sync: SyncEngine, logger?: Logger): AuditUploader {
  const link = sync.auditLink();
  return new AuditUploader({
    log: audit,
    transport: link,
    deviceId: link.deviceId,
    signer: deviceKeySigner(() => link.deviceKey()),
    ...(logger === undefined ? {} : { logger }),
  });
}

export interface AuditUploadsOptions {
  readonly audit: AuditLog;
  readonly sync: SyncEngine;
  readonly logger: Logger;
  /** Acknowledged entries older than this are pruned after an upload. */
  readonly retentionMs: number;
  readonly now: () => number;
}

/** Uploads, then prunes what the hub acknowledged beyond the retention period. */
export async function uploadAndPrune(
  uploader: AuditUploader,
  audit: AuditLog,
  retentionMs: number,
  nowMs: number,
): Promise<{ report: AuditUploadReport; pruned: number }> {
  const report = await uploader.upload();
  return { report, pruned: audit.pruneAcknowledged(nowMs - retentionMs) };
}

export interface AuditUploads {
  /** Uploads now (a request during an upload runs once more after it); never rejects. */
  request(): Promise<void>;
  /** Stops listening and waits for an upload under way. */
  close(): Promise<void>;
}

/** Starts uploading on the sync schedule: after each successful cycle and when the hub is back. */
export function startAuditUploads(options: AuditUploadsOptions): AuditUploads {
  const { audit, sync, logger, retentionMs, now } = options;
  const uploader = auditUploaderFor(audit, sync, logger);
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  const runOnce = async (): Promise<void> => {
    try {
      await uploadAndPrune(uploader, audit, retentionMs, now());
    } catch (error) {
      logger.warn(
        {
          event: 'audit.upload_failed',
          code: (error as { code?: unknown }).code ?? null,
          pending: audit.isOpen ? audit.queue.pendingCount() : null,
        },
        'audit upload failed; the entries stay on this workstation and go at the next sync',
      );
    }
  };
  const request = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (running !== null) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await runOnce();
      } while (again && !closed);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const stopActivity = sync.onActivity((activity) => {
    if (activity.kind === 'cycle-ended' && activity.ok) void request();
  });
  const stopState = sync.onStateChange((change) => {
    if (UNREACHABLE.includes(change.previous) && !UNREACHABLE.includes(change.state)) void request();
  });
  return {
    request,
    async close() {
      closed = true;
      stopActivity();
      stopState();
      await running;
    },
  };
}
