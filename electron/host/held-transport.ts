// A transport whose serving is held back: the host can be opened (and its first sync run) while the
// window is still answered by someone else (the set-up router), and switched over in one step.
import type { RequestServer, Transport } from './transport.js';

export interface HeldTransport {
  readonly transport: Transport;
  /** Hands the window to whoever asked to serve (now and from then on). */
  release(): void;
}

export function holdTransport(inner: Transport): HeldTransport {
  let released = false;
  let waiting: RequestServer | null = null;
  let stopInner: (() => void) | null = null;
  return {
    transport: {
      serve(server) {
        if (released) {
          const stop = inner.serve(server);
          return stop;
        }
        waiting = server;
        return () => {
          if (waiting === server) waiting = null;
          stopInner?.();
          stopInner = null;
        };
      },
      emit: (message) => inner.emit(message),
    },
    release() {
      if (released) return;
      released = true;
      if (waiting !== null) stopInner = inner.serve(waiting);
    },
  };
}
