// What the other rooms take from the machine policy: the sessions room's timers, the sync room's
// staleness thresholds, extra certificate pins and cache window, the documentation room's medication
// administration checks.
import type { AdministrationSafetyPolicy } from '../documentation/index.js';
import type { SessionPolicy } from '../session/index.js';
import type { SyncPolicy } from '../sync/index.js';
import type { WorkstationPolicy } from './policy-document.js';

export function sessionPolicyOf(policy: WorkstationPolicy): Partial<SessionPolicy> {
  return {
    idleTimeoutMs: policy.idleTimeoutMs,
    absoluteLimitMs: policy.sessionLimitMs,
    offlineGraceMs: policy.offlineGraceMs,
    maxLockedSessions: policy.maxLockedSessions,
    breakTheGlassMs: policy.breakTheGlassMs,
  };
}

export function syncPolicyOf(policy: WorkstationPolicy): Partial<SyncPolicy> {
  return {
    staleAmberMs: policy.staleAmberMs,
    staleRedMs: policy.staleRedMs,
    extraPins: policy.pins,
    daysBeforeAdmission: policy.cacheDaysBeforeAdmission,
    stoppedAfterMs: policy.syncStoppedAfterMs,
  };
}

/** The documentation room's medication administration checks: the on-time window and the site's allergy classes. */
export function administrationSafetyOf(policy: WorkstationPolicy): AdministrationSafetyPolicy {
  return { windowMs: policy.administrationWindowMs, allergyClasses: policy.allergyClasses };
}
