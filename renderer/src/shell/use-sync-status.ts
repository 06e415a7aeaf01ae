// The sync status for the banner: asked once on start, replaced by every sync:changed event, and
// asked again every poll period in case an event was missed. Null until the first answer.
import { useEffect, useState } from 'react';
import type { SyncStatusData } from '../../../shared/contract/index.js';
import { call, hostApi } from '../host-api.js';

const DEFAULT_POLL_MS = 30_000;

export function useSyncStatus(): SyncStatusData | null {
  const [status, setStatus] = useState<SyncStatusData | null>(null);
  const pollMs = Math.max(5_000, status?.pollIntervalMs ?? DEFAULT_POLL_MS);

  useEffect(() => {
    let live = true;
    const api = hostApi();
    const stop = api.sync.onChanged((next) => {
      if (live) setStatus(next);
    });
    call(api.sync.status())
      .then((next) => {
        if (live) setStatus(next);
      })
      .catch(() => {
        // no status yet; a locked session is handled by the purge watcher
      });
    return () => {
      live = false;
      stop();
    };
  }, []);

  // Asked again every poll period, in case an event was missed.
  useEffect(() => {
    let live = true;
    const timer = setInterval(() => {
      call(hostApi().sync.status())
        .then((next) => {
          if (live) setStatus(next);
        })
        .catch(() => {
          // keep the last status
        });
    }, pollMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [pollMs]);

  return status;
}
