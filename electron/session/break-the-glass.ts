// Break-the-glass: time-limited access to a restricted patient, or (online) to a patient off this
// ward, after a coded reason and a free-text justification. Grants belong to one user's session,
// expire by themselves, and every start and stop is a session event for the audit trail.
import {
  BTG_JUSTIFICATION_MAX,
  BTG_JUSTIFICATION_MIN,
  BTG_REASONS,
  isBreakTheGlassJustification,
  isBreakTheGlassReasonCode,
  type BreakTheGlassReasonCode,
} from '../../shared/access/index.js';
import { SessionError } from './session-error.js';
import type { SessionEvent } from './session-events.js';

export interface BreakTheGlassRequest {
  readonly sessionId: string;
  readonly userId: string;
  readonly patientId: string;
  readonly reasonCode: string;
  readonly reasonText: string;
}

export interface BreakTheGlassGrant {
  readonly sessionId: string;
  readonly userId: string;
  readonly patientId: string;
  readonly reasonCode: BreakTheGlassReasonCode;
  readonly startedAt: number;
  readonly expiresAt: number;
}

/** The live grants of this workstation. Time comes in as `now`; nothing here reads a clock. */
export class BreakTheGlassRegistry {
  private readonly grants = new Map<string, BreakTheGlassGrant>();

  constructor(private readonly durationMs: number) {}

  /**
   * Opens a grant (replacing one the same user already holds for that patient, which stops as
   * "ended"). Refuses a reason code outside BTG_REASONS (shared/access) or a justification that is too short.
   */
  start(request: BreakTheGlassRequest, now: number): { grant: BreakTheGlassGrant; events: SessionEvent[] } {
    if (!isBreakTheGlassReasonCode(request.reasonCode)) {
      throw new SessionError(
        'BTG_REASON_INVALID',
        `Choose one of the listed reasons (${BTG_REASONS.map((r) => r.label).join(', ')}) to open this chart.`,
      );
    }
    const text = request.reasonText.trim();
    if (!isBreakTheGlassJustification(text)) {
      throw new SessionError(
        'BTG_REASON_INVALID',
        `Explain in your own words why you need this chart (${BTG_JUSTIFICATION_MIN} to ${BTG_JUSTIFICATION_MAX} characters).`,
      );
    }
    const events = this.stop(request.userId, request.patientId, now, 'ended');
    const grant: BreakTheGlassGrant = {
      sessionId: request.sessionId,
      userId: request.userId,
      patientId: request.patientId,
      reasonCode: request.reasonCode,
      startedAt: now,
      expiresAt: now + this.durationMs,
    };
    this.grants.set(keyOf(request.userId, request.patientId), grant);
    events.push({
      type: 'btg-start',
      at: now,
      sessionId: grant.sessionId,
      userId: grant.userId,
      patientId: grant.patientId,
      reasonCode: grant.reasonCode,
      reasonText: text,
      expiresAt: grant.expiresAt,
    });
    return { grant, events };
  }

  /** True while the user holds an unexpired grant for the patient (by time alone: a late timer never extends it). */
  isGranted(userId: string, patientId: string, now: number): boolean {
    const grant = this.grants.get(keyOf(userId, patientId));
    return grant !== undefined && now < grant.expiresAt;
  }

  /** Ends one grant early; its stop event says "ended" (or "expired" if it had run out already). */
  stop(userId: string, patientId: string, now: number, reason: 'ended' = 'ended'): SessionEvent[] {
    const key = keyOf(userId, patientId);
    const grant = this.grants.get(key);
    if (grant === undefined) return [];
    this.grants.delete(key);
    return [stopEvent(grant, now >= grant.expiresAt ? 'expired' : reason, Math.min(now, grant.expiresAt))];
  }

  /** Ends the grant `sessionId` holds for the patient, if any (whether that session is active or locked). */
  stopForSession(sessionId: string, patientId: string, now: number): SessionEvent[] {
    for (const grant of this.grants.values()) {
      if (grant.sessionId === sessionId && grant.patientId === patientId) return this.stop(grant.userId, patientId, now);
    }
    return [];
  }

  /** Ends every grant of a session (it was signed out, evicted or expired). */
  endSession(sessionId: string, now: number): SessionEvent[] {
    const events: SessionEvent[] = [];
    for (const grant of [...this.grants.values()]) {
      if (grant.sessionId === sessionId) events.push(...this.stop(grant.userId, grant.patientId, now));
    }
    return events;
  }

  /** Removes the grants that have run out by `now`; one "expired" stop event each, at its expiry time. */
  expire(now: number): SessionEvent[] {
    const events: SessionEvent[] = [];
    const due = [...this.grants.values()].filter((g) => g.expiresAt <= now).sort((a, b) => a.expiresAt - b.expiresAt);
    for (const grant of due) {
      this.grants.delete(keyOf(grant.userId, grant.patientId));
      events.push(stopEvent(grant, 'expired', grant.expiresAt));
    }
    return events;
  }

  /** When the next grant runs out, or null. */
  nextExpiry(): number | null {
    let next: number | null = null;
    for (const g of this.grants.values()) if (next === null || g.expiresAt < next) next = g.expiresAt;
    return next;
  }

  /** The live grants of a user (for the UI's "access ends at" banner). */
  grantsOf(userId: string, now: number): BreakTheGlassGrant[] {
    return [...this.grants.values()].filter((g) => g.userId === userId && now < g.expiresAt);
  }
}

function keyOf(userId: string, patientId: string): string {
  return JSON.stringify([userId, patientId]);
}

function stopEvent(grant: BreakTheGlassGrant, reason: 'expired' | 'ended', at: number): SessionEvent {
  return { type: 'btg-stop', at, sessionId: grant.sessionId, userId: grant.userId, patientId: grant.patientId, reason };
}
