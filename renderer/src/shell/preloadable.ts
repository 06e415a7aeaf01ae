// A lazily loaded component that can be fetched ahead of time. React.lazy alone suspends on its
// first render even when the chunk is already here, and React then holds the fallback for a
// moment; once preloaded, this renders the component at once, without Suspense.
import { createElement, lazy, type ComponentType } from 'react';

export interface Preloadable<P extends object> {
  readonly Component: ComponentType<P>;
  /** Starts (or joins) the chunk's download; resolves when it can render without suspending. */
  preload(): Promise<void>;
}

export function preloadable<P extends object>(load: () => Promise<ComponentType<P>>): Preloadable<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const fetchOnce = (): Promise<ComponentType<P>> => {
    pending ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        pending = null; // let a later render try again
        throw error;
      },
    );
    return pending;
  };
  const Lazy = lazy(async () => ({ default: await fetchOnce() }));
  function PreloadableComponent(props: P): React.JSX.Element {
    return loaded !== null ? createElement(loaded, props) : createElement(Lazy, props);
  }
  return {
    Component: PreloadableComponent,
    preload: () =>
      fetchOnce().then(
        () => undefined,
        () => undefined,
      ),
  };
}

/** Runs `work` when the browser is idle (or soon, where requestIdleCallback is missing). */
export function whenIdle(work: () => void): void {
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(work, { timeout: 2_000 });
  else setTimeout(work, 200);
}
