// The SyncAuditSink port: what the sync engine reports for the audit trail (a pin mismatch, a
// purge, an enrollment). The audit room will implement it with its hash-chained log; until then
// `logAuditSink` writes the events to the host log. Events hold ids only, never patient content.
import type { Logger } from 'pino';

export type SyncAuditEvent =
  /** The hub presented a certificate whose SPKI hash is not the pinned one; nothing was sent. */
  | { readonly kind: 'pin-mismatch'; readonly host: string; readonly presentedPin: string }
  /** Cached data of patients who left the ward is deleted (after their outbox was delivered); recorded just before, `resources` counted then. */
  | { readonly kind: 'purge'; readonly patientIds: readonly string[]; readonly resources: number }
  /** The workstation enrolled at a hub. */
  | { readonly kind: 'enrollment'; readonly clientId: string; readonly ward: string; readonly hubUrl: string }
  /** The hub refused the device (revoked, unknown): sync stopped. */
  | { readonly kind: 'device-refused'; readonly clientId: string; readonly code: string };

export interface SyncAuditSink {
  record(event: SyncAuditEvent): void;
}

/** Writes each event to the host log (warn for refusals and mismatches). */
export function logAuditSink(logger: Logger): SyncAuditSink {
  return {
    record(event) {
      const level = event.kind === 'pin-mismatch' || event.kind === 'device-refused' ? 'warn' : 'info';
      logger[level]({ event: `sync.audit.${event.kind}`, ...event }, `audit: ${event.kind}`);
    },
  };
}
