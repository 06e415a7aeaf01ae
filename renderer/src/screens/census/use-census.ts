// The ward census for the signed-in frame (chart:census): loaded when the frame opens and again
// whenever the ward data changes (a new "data as of" from the sync status). Held in React state
// only, so the purge reload drops it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CensusRowData } from '../../../../shared/contract/index.js';
import { call, hostApi, HostRequestError } from '../../host-api.js';

export interface CensusState {
  /** Null until the first answer. */
  readonly rows: readonly CensusRowData[] | null;
  readonly error: string | null;
  readonly reload: () => void;
}

/** `dataAsOf`: the sync status's, or undefined before the first status arrived. */
export function useCensus(enabled: boolean, dataAsOf: string | null | undefined): CensusState {
  const [rows, setRows] = useState<readonly CensusRowData[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const reload = useCallback((): void => {
    if (!enabled) return;
    const mine = ++generation.current;
    call(hostApi().chart.census())
      .then((next) => {
        if (mine !== generation.current) return;
        setRows(next);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (mine !== generation.current) return;
        setError(failure instanceof HostRequestError ? failure.message : 'The census could not be loaded.');
      });
  }, [enabled]);

  useEffect(() => {
    reload();
  }, [reload]);

  // The ward data changed since the first status this frame saw: load again.
  const seen = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    const previous = seen.current;
    seen.current = dataAsOf;
    if (previous !== undefined && dataAsOf !== previous) reload();
  }, [dataAsOf, reload]);

  useEffect(
    () => () => {
      generation.current += 1;
    },
    [],
  );

  return { rows, error, reload };
}
