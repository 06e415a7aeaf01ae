// Loads one answer from the host for a screen: loading, ready or failed (with the host's plain
// message), dropped when the inputs change or the screen goes away, and re-run on demand.
import { useCallback, useEffect, useRef, useState } from 'react';
import { HostRequestError } from '../../host-api.js';

export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly value: T }
  | { readonly state: 'failed'; readonly error: HostRequestError };

/** The error as a HostRequestError whose message is safe to show. */
export function asHostError(error: unknown): HostRequestError {
  if (error instanceof HostRequestError) return error;
  return new HostRequestError('UNEXPECTED', 'Something went wrong on this screen. Try again; if it keeps happening, call IT.');
}

const LOADING = { state: 'loading' } as const;

/**
 * Runs `load` when `key` changes (null: nothing to load). A reload keeps showing the previous value
 * until the new one arrives, so a refresh does not blank the screen. `load` is read when the key
 * changes or on reload, not on every render.
 */
export function useHostCall<T>(key: string | null, load: () => Promise<T>): { loaded: Loaded<T>; reload: () => void } {
  const [result, setResult] = useState<{ key: string | null; loaded: Loaded<T> }>({ key, loaded: LOADING });
  const [generation, setGeneration] = useState(0);
  const loader = useRef(load);
  useEffect(() => {
    loader.current = load;
  });
  useEffect(() => {
    if (key === null) return undefined;
    let current = true;
    loader.current().then(
      (value) => {
        if (current) setResult({ key, loaded: { state: 'ready', value } });
      },
      (error: unknown) => {
        if (current) setResult({ key, loaded: { state: 'failed', error: asHostError(error) } });
      },
    );
    return () => {
      current = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { loaded: result.key === key ? result.loaded : LOADING, reload };
}
