// The PowerEvents port: the operating system telling the host that the screen locked, the machine
// is suspending, or came back. Electron's powerMonitor adapter lives in electron/window/; the
// controllable driver below serves the tests and the headless CLI.

export type PowerEventKind = 'lock-screen' | 'suspend' | 'resume' | 'unlock-screen';

export const POWER_EVENT_KINDS: readonly PowerEventKind[] = ['lock-screen', 'suspend', 'resume', 'unlock-screen'];

export interface PowerEvents {
  /** Calls `listener` for each event until the returned function is called. */
  subscribe(listener: (kind: PowerEventKind) => void): () => void;
}

/** A PowerEvents source driven by code: `emit('suspend')` is what the OS would have said. */
export class ControllablePowerEvents implements PowerEvents {
  private readonly listeners = new Set<(kind: PowerEventKind) => void>();

  subscribe(listener: (kind: PowerEventKind) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(kind: PowerEventKind): void {
    for (const listener of [...this.listeners]) listener(kind);
  }

  /** How many subscribers are listening (a host that closed must leave none). */
  subscriberCount(): number {
    return this.listeners.size;
  }
}
