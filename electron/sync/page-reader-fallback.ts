// When the initial load's page reader fails (its thread cannot start, dies, fails on a page for a
// reason that is not the page's, or holds pages past its deadline without answering: then it is
// terminated), the load goes on reading its pages on the writing thread, as a load
// of fewer patients always does. A page that was with the reader is asked of the hub again and read
// here: its bytes went to the reader's thread, and nothing of it was written (a page is queued for
// its transaction only once read, with the walk's position after it), so each walk keeps its order
// and positions and nothing is lost or written twice. The engine keeps the reader off from then on
// (one warning in the log, `sync.page_reader_unavailable`), so a reader that cannot work in this
// installation costs one failed start, not one per cycle; a restart tries it again.
import type { Logger } from 'pino';
import { PageReader, PageReaderFailed, type PageReaderLimits } from './page-reader.js';

/** The engine's page readers: one per initial load while they work, none once one has failed. */
export class PageReaders {
  readonly #logger: Logger;
  readonly #module: URL | undefined;
  #unavailable = false;

  /** `module`: the reader thread's module (page-reader.ts's default unless given: tests give one that fails). */
  constructor(logger: Logger, module?: URL) {
    this.#logger = logger;
    this.#module = module;
  }

  /** Whether a load may still use a page reader (false for the life of the engine once one failed). */
  get available(): boolean {
    return !this.#unavailable;
  }

  /** A reader for one load (null when none may be used: the load reads its pages itself). */
  open(limits: PageReaderLimits): LoadPageReader | null {
    if (this.#unavailable) return null;
    try {
      return new LoadPageReader(this, new PageReader(limits, this.#module));
    } catch (error) {
      this.failed(new PageReaderFailed('WORKER_ERROR', error));
      return null;
    }
  }

  /** A reader failed: none is used again by this engine; logged once. */
  failed(failure: PageReaderFailed): void {
    if (this.#unavailable) return;
    this.#unavailable = true;
    this.#logger.warn(
      {
        event: 'sync.page_reader_unavailable',
        code: failure.reason,
        ...(failure.nodeCode === undefined ? {} : { cause: failure.nodeCode }),
      },
      "the page reader failed; initial loads read the hub's pages on the writing thread until the workstation restarts",
    );
  }
}

/** One load's page reader, until it fails. */
export class LoadPageReader {
  readonly #readers: PageReaders;
  readonly #reader: PageReader;
  #failed = false;

  constructor(readers: PageReaders, reader: PageReader) {
    this.#readers = readers;
    this.#reader = reader;
  }

  /** The reader to read the next page on, or null once it failed (read it on this thread). */
  get reader(): PageReader | null {
    return this.#failed ? null : this.#reader;
  }

  /**
   * Whether `error` (from reading a page) is the reader's failure, after which the page is to be read
   * again on this thread; recorded then. Not when the reader was closed: the load is over, and nobody
   * waits for that page (a walk's next page asked before a failed write).
   */
  fellBack(error: unknown): boolean {
    if (!(error instanceof PageReaderFailed) || error.reason === 'CLOSED') return false;
    this.#failed = true;
    this.#readers.failed(error);
    return true;
  }

  close(): Promise<void> {
    return this.#reader.close();
  }
}
