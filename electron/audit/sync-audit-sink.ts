// The sync room's SyncAuditSink, implemented by the audit log: a pin mismatch, a device the hub
// refused, an enrollment (which also tells the log the hub's id for this workstation), and a purge
// (one entry per patient whose cached chart is deleted, recorded before it is). Commits before it
// returns.
import type { SyncAuditEvent, SyncAuditSink } from '../sync/index.js';
import type { NewAuditEntry } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';

export function syncEventEntries(event: SyncAuditEvent): NewAuditEntry[] {
  switch (event.kind) {
    case 'pin-mismatch':
      return [
        {
          action: 'pin-mismatch',
          outcome: 'serious-failure',
          requestor: false,
          detail: {
            host: event.host,
            presentedPin: event.presentedPin,
            reason: 'the hub certificate does not match the pinned key; nothing was sent',
          },
        },
      ];
    case 'device-refused':
      return [
        {
          action: 'device-refused',
          outcome: 'serious-failure',
          requestor: false,
          detail: { clientId: event.clientId, code: event.code, reason: 'the hub refused this workstation' },
        },
      ];
    case 'enrollment':
      return [{ action: 'enrollment', detail: { clientId: event.clientId, ward: event.ward, hubUrl: event.hubUrl } }];
    case 'purge':
      return event.patientIds.map((patientId) => ({
        action: 'purge' as const,
        patient: patientId,
        resources: [`Patient/${patientId}`],
        requestor: false,
        detail: { reason: 'left the ward', patients: event.patientIds.length, resources: event.resources },
      }));
  }
}

/** A SyncAuditSink writing each sync event to `log`. */
export function syncAuditSink(log: AuditLog): SyncAuditSink {
  return {
    record(event) {
      log.recordAll(syncEventEntries(event));
      if (event.kind === 'enrollment') log.queue.setHubDeviceId(event.clientId);
    },
  };
}
