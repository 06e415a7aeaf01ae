// The one wake-up the sessions need: at the earliest of the lock state machine's next deadline
// (idle lock, absolute limit, locked-session timeout) and the next break-the-glass expiry.
import type { CancelTask, Scheduler } from './clock.js';

export class DeadlineTimer {
  private timer: CancelTask | null = null;
  private timerAt: number | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly onDue: () => void,
  ) {}

  /**
   * Keeps one wake-up at the earliest deadline. A wake-up already set no later than that is kept
   * (activity only moves deadlines later; the early wake-up finds nothing due and sets the next),
   * so a stream of activity reports does not churn timers.
   */
  wakeAt(deadline: number | null, expiry: number | null): void {
    const at = deadline === null ? expiry : expiry === null ? deadline : Math.min(deadline, expiry);
    if (at === null) return;
    if (this.timer !== null && this.timerAt !== null && this.timerAt <= at) return;
    this.cancel();
    this.timerAt = at;
    this.timer = this.scheduler.schedule(at, () => {
      this.timer = null;
      this.timerAt = null;
      this.onDue();
    });
  }

  cancel(): void {
    this.timer?.();
    this.timer = null;
    this.timerAt = null;
  }
}
