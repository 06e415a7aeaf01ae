// The admin channels: the machine policy in force, read only. (The audit trail's view and export
// are audit-trail-handlers.ts.)
import type { PolicyViewData } from '../../shared/contract/index.js';
import type { WorkstationPolicy } from '../policy/index.js';
import type { IpcHandler } from './ipc-router.js';

export interface AdminHandlers {
  readonly 'policy:view': IpcHandler<'policy:view'>;
}

export interface AdminHandlerOptions {
  readonly policy: WorkstationPolicy;
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

export function adminHandlers({ policy }: AdminHandlerOptions): AdminHandlers {
  return { 'policy:view': () => policyView(policy) };
}
