// The policy's key rotation (vault.rekeyAfterDays), honoured by the running host: once the keys
// are older than the interval, they are changed (rekeyWorkstation: chart cache and audit trail,
// crash-safe, audited) at the first safe moment, i.e. when no session is active, so nobody waits
// on the re-encryption. Checked on a timer and whenever the active session ends. A failed rekey
// is logged and recorded, and tried again at the next check.
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/index.js';
import type { SessionManager } from '../session/index.js';
import type { Vault } from '../vault/index.js';
import { rekeyWorkstation } from './rekey-workstation.js';

export interface RekeyScheduleOptions {
  readonly vault: Vault;
  readonly audit: AuditLog;
  readonly sessions: Pick<SessionManager, 'current' | 'onChange'>;
  /** The policy's interval; null: no rotation by the host. */
  readonly rekeyAfterMs: number | null;
  readonly logger: Logger;
  /** Epoch ms (wall-clock: the key's age is stored as a wall-clock time). */
  readonly now: () => number;
  /** How often the age is checked (default hourly). */
  readonly checkEveryMs?: number;
}

export interface RekeySchedule {
  /** Checks now and rekeys when due and safe; resolves when done (true: rekeyed). */
  check(): Promise<boolean>;
  /** Stops the checks and waits for a rekey under way. */
  close(): Promise<void>;
}

const HOUR = 3_600_000;

/** Whether the keys are older than `rekeyAfterMs` (a vault that does not know its key's age is due). */
export function isRekeyDue(keyChangedAt: string | null, rekeyAfterMs: number, nowMs: number): boolean {
  if (keyChangedAt === null) return true;
  const at = Date.parse(keyChangedAt);
  return Number.isNaN(at) || nowMs - at >= rekeyAfterMs;
}

export function startRekeySchedule(options: RekeyScheduleOptions): RekeySchedule {
  const { vault, audit, sessions, rekeyAfterMs, logger, now } = options;
  let running: Promise<boolean> | null = null;
  let closed = false;

  const check = (): Promise<boolean> => {
    if (closed || rekeyAfterMs === null) return Promise.resolve(false);
    if (running !== null) return running;
    const attempt = (async () => {
      try {
        if (!vault.isOpen || !audit.isOpen) return false;
        if (!isRekeyDue(vault.keyChangedAt(), rekeyAfterMs, now())) return false;
        if (sessions.current().active !== null) return false;
        await rekeyWorkstation({ vault, audit, by: 'host', logger });
        return true;
      } catch {
        // Logged and recorded by rekeyWorkstation; tried again at the next check.
        return false;
      }
    })();
    running = attempt;
    void attempt.finally(() => {
      if (running === attempt) running = null;
    });
    return attempt;
  };

  if (rekeyAfterMs === null) return { check, close: () => Promise.resolve() };
  const timer = setInterval(() => void check(), options.checkEveryMs ?? HOUR);
  timer.unref?.();
  // Looked at once the change has settled (listeners hear of it while it is being made).
  const stopListening = sessions.onChange((snapshot) => {
    if (snapshot.active === null) setTimeout(() => void check(), 0).unref?.();
  });
  return {
    check,
    async close() {
      closed = true;
      clearInterval(timer);
      stopListening();
      await running;
    },
  };
}
