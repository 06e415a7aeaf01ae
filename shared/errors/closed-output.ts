// A CLI's reader that goes away (`wardline status | head -3`, a pager quit early) is not a failure
// of the command: without a listener, Node turns the next write's EPIPE into an uncaught exception
// and a stack trace. With this one the rest of the output is dropped, the command finishes (its own
// entries, such as an export's audit entry, are already recorded) and keeps its exit code. Any other
// error on the stream stays fatal, as before.

/** The part of a Node writable stream this needs (kept structural: shared/ imports nothing of Node). */
export interface OutputStream {
  on(event: 'error', listener: (error: Error & { code?: string }) => void): unknown;
}

const HANDLED = new WeakSet<OutputStream>();

/** Lets `stream`'s reader leave early without a crash; safe to call more than once per stream. */
export function toleratesClosedReader(stream: OutputStream): void {
  if (HANDLED.has(stream)) return;
  HANDLED.add(stream);
  stream.on('error', (error) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}
