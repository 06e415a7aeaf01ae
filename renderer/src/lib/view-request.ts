// A screen asking the shell to show another view (e.g. the chart's "Conflict — needs your
// decision" → the conflicts screen) without knowing the shell: a cancelable window event the shell
// answers by calling preventDefault() once it navigated. Only view names travel, never patient data.

export type RequestedView = 'conflicts' | 'census';

export const VIEW_REQUEST_EVENT = 'wardline:view-request';

/** Asks for `view`; true when the shell took the request. */
export function requestView(view: RequestedView): boolean {
  const event = new CustomEvent<{ view: RequestedView }>(VIEW_REQUEST_EVENT, { detail: { view }, cancelable: true });
  return !window.dispatchEvent(event);
}

/** For the shell: calls `open` for every request and marks it handled. */
export function onViewRequest(open: (view: RequestedView) => void): () => void {
  const listener = (event: Event): void => {
    const view = (event as CustomEvent<{ view?: unknown }>).detail?.view;
    if (view !== 'conflicts' && view !== 'census') return;
    event.preventDefault();
    open(view);
  };
  window.addEventListener(VIEW_REQUEST_EVENT, listener);
  return () => window.removeEventListener(VIEW_REQUEST_EVENT, listener);
}
