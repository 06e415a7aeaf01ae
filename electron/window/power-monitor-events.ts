// The PowerEvents port over Electron's powerMonitor: screen locked or unlocked, suspend, resume.
import type { PowerMonitor } from 'electron';
import type { PowerEventKind, PowerEvents } from '../session/index.js';

export class PowerMonitorEvents implements PowerEvents {
  constructor(private readonly monitor: Pick<PowerMonitor, 'on' | 'removeListener'>) {}

  subscribe(listener: (kind: PowerEventKind) => void): () => void {
    const lockScreen = (): void => listener('lock-screen');
    const unlockScreen = (): void => listener('unlock-screen');
    const suspend = (): void => listener('suspend');
    const resume = (): void => listener('resume');
    this.monitor.on('lock-screen', lockScreen);
    this.monitor.on('unlock-screen', unlockScreen);
    this.monitor.on('suspend', suspend);
    this.monitor.on('resume', resume);
    return () => {
      this.monitor.removeListener('lock-screen', lockScreen);
      this.monitor.removeListener('unlock-screen', unlockScreen);
      this.monitor.removeListener('suspend', suspend);
      this.monitor.removeListener('resume', resume);
    };
  }
}
