// A first-come, first-served lock for async work: the SQLite engine holds it for a whole
// transaction, so statements of two concurrent requests never interleave on the writer connection.

export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `work` once every earlier holder has finished; the lock is released even if it throws. */
  run<T>(work: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(() => work());
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
