// One view of the open chart, loaded from the host and kept as the vault holds it: loaded when the
// view opens (`key`: the patient and what the user chose, a window or a period), then reloaded in
// place each time `refreshKey` moves (the chart screen moves it on every sync:changed and after a
// local write), keeping what is shown until the new answer arrives. Those reloads are refreshes:
// the load is told so, and the host records the view's chart-read once per opening (docs/AUDIT.md).
import { useCallback, useEffect, useRef } from 'react';
import { useHostCall, type Loaded } from './use-host-call.js';

export function useChartRead<T>(
  key: string | null,
  refreshKey: number,
  load: (refresh: boolean) => Promise<T>,
): { loaded: Loaded<T>; reload: () => void; refreshNow: () => void } {
  // The key whose next load is a refresh; a load of any other key (a new opening) is not.
  const refreshOf = useRef<string | null>(null);
  const { loaded, reload } = useHostCall(key, () => {
    const refresh = key !== null && refreshOf.current === key;
    refreshOf.current = null;
    return load(refresh);
  });
  const refreshNow = useCallback(() => {
    refreshOf.current = key;
    reload();
  }, [key, reload]);
  const seen = useRef(refreshKey);
  useEffect(() => {
    if (seen.current === refreshKey) return;
    seen.current = refreshKey;
    refreshNow();
  }, [refreshKey, refreshNow]);
  return { loaded, reload, refreshNow };
}
