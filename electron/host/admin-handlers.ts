// The admin channels: a page of the audit trail (the audit room's view, which guards and audits
// itself) with where its upload stands and the machine policy in force, read only.
import type { AuditEntryViewData, PolicyViewData } from '../../shared/contract/index.js';
import { viewAuditTrail, type AuditEntry, type AuditLog, type AuditViewRequest } from '../audit/index.js';
import type { WorkstationPolicy } from '../policy/index.js';
import type { GuardedSessions } from '../session/index.js';
import type { IpcHandler } from './ipc-router.js';

export interface AdminHandlers {
  readonly 'audit:view': IpcHandler<'audit:view'>;
  readonly 'policy:view': IpcHandler<'policy:view'>;
}

export interface AdminHandlerOptions {
  readonly sessions: GuardedSessions;
  readonly audit: AuditLog;
  readonly policy: WorkstationPolicy;
}

function entryView(entry: AuditEntry): AuditEntryViewData {
  return {
    sequence: entry.sequence,
    time: entry.time,
    user: entry.user,
    session: entry.session,
    action: entry.action,
    patient: entry.patient,
    resources: [...entry.resources],
    outcome: entry.outcome,
    purposeOfUse: entry.purposeOfUse,
    query: entry.query,
    hash: entry.hash,
  };
}

export function policyView(policy: WorkstationPolicy): PolicyViewData {
  return {
    issued: policy.issued,
    hubUrl: policy.hubUrl,
    pins: [...policy.pins],
    ward: policy.ward,
    idleTimeoutMs: policy.idleTimeoutMs,
    sessionLimitMs: policy.sessionLimitMs,
    offlineGraceMs: policy.offlineGraceMs,
    maxLockedSessions: policy.maxLockedSessions,
    breakTheGlassMs: policy.breakTheGlassMs,
    staleAmberMs: policy.staleAmberMs,
    staleRedMs: policy.staleRedMs,
    cacheDaysBeforeAdmission: policy.cacheDaysBeforeAdmission,
    auditRetentionMs: policy.auditRetentionMs,
    administrationWindowMs: policy.administrationWindowMs,
    allergyClassesAdded: policy.allergyClasses.length,
    printingAllowed: policy.printingAllowed,
    saveAsPdfAllowed: policy.saveAsPdfAllowed,
    updates: policy.updates.enabled ? { enabled: true, channel: policy.updates.channel, url: policy.updates.url } : { enabled: false },
    signedBy: policy.signedBy,
    defaulted: [...policy.defaulted],
  };
}

export function adminHandlers({ sessions, audit, policy }: AdminHandlerOptions): AdminHandlers {
  return {
    'audit:view': (request) => {
      const filters = Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) as AuditViewRequest;
      const page = viewAuditTrail(sessions, audit, filters);
      return {
        entries: page.entries.map(entryView),
        nextAfterSequence: page.nextAfterSequence,
        upload: { pending: audit.queue.pendingCount(), lastAcknowledgedUpload: audit.queue.lastAcknowledgedAt() },
      };
    },
    'policy:view': () => policyView(policy),
  };
}
