// Tells the host the user is there (session:activity) on key and pointer presses, at most once
// per interval (activity-throttle.ts), so the idle lock moves later while someone works.
import { useEffect } from 'react';
import { call, hostApi } from '../host-api.js';
import { activityThrottle } from './activity-throttle.js';

export function useActivityReporting(intervalMs: number): void {
  useEffect(() => {
    const shouldSend = activityThrottle(intervalMs);
    const report = (): void => {
      if (!shouldSend(Date.now())) return;
      call(hostApi().session.activity()).catch(() => {
        // a lock in the meantime is handled by the purge watcher
      });
    };
    window.addEventListener('keydown', report, { capture: true, passive: true });
    window.addEventListener('pointerdown', report, { capture: true, passive: true });
    return () => {
      window.removeEventListener('keydown', report, { capture: true });
      window.removeEventListener('pointerdown', report, { capture: true });
    };
  }, [intervalMs]);
}
